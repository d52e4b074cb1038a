// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation

/// The records suites' world: a catalog of two programs (5 and 12 courses) and a 40-course one, three learners
/// with names in other scripts, real certificates rendered by `attest worker --drain`, one of them revoked, and
/// courses completed twice; plus what each record must say.
struct RecordsFixture {
    /// One completion the fixture submits.
    struct Completion {
        var externalID: String
        var learner: Learner
        var courseID: String
        var score: Double?
        var day: Int
    }

    /// A learner of the fixture.
    struct Learner: Hashable {
        var id: String
        var name: String
    }

    static let ada = Learner(id: "learner-ada", name: "Zoë Ångström-Müller")
    static let fatima = Learner(id: "learner-fatima", name: "فاطمة الزهراء")
    static let wei = Learner(id: "learner-wei", name: "王伟")

    static let dataCourses: [(id: String, title: String)] = [
        ("da-1", "Statistics Basics"),
        ("da-2", "Визуализация данных"),
        ("da-3", "Λογική και Απόδειξη"),
        ("da-4", "تحليل البيانات"),
        ("da-5", "データベース入門"),
    ]
    static let operationsCourses = (1...12).map { (id: "op-\($0)", title: "Operations Module \($0)") }
    static let longCourses = (1...40).map { (id: "long-\($0)", title: "Long Program Course \($0)") }

    static let catalog: String = {
        func program(_ id: String, _ title: String, _ type: String?, _ courses: [(id: String, title: String)])
            -> [String: Any]
        {
            var object: [String: Any] = [
                "id": id, "title": title, "organisation": "Attest Test Academy",
                "courses": courses.map { ["course_id": $0.id, "title": $0.title] },
            ]
            if let type { object["type"] = type }
            return object
        }
        let document: [String: Any] = [
            "programs": [
                program("data-analysis", "Data Analysis", "Professional Certificate", dataCourses),
                program("operations", "Operations, \"Advanced\"", nil, operationsCourses),
                program("long", "A Very Long Program", "MicroMasters", longCourses),
            ]
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }()

    static let completions: [Completion] = [
        // Ada: four of five Data Analysis courses; da-3 twice (70 %, then 95 %: the record shows 95 %); da-4 without
        // a score.
        Completion(externalID: "ada-da-1", learner: ada, courseID: "da-1", score: 0.92, day: 1),
        Completion(externalID: "ada-da-2", learner: ada, courseID: "da-2", score: 0.81, day: 2),
        Completion(externalID: "ada-da-3-first", learner: ada, courseID: "da-3", score: 0.70, day: 3),
        Completion(externalID: "ada-da-3-again", learner: ada, courseID: "da-3", score: 0.95, day: 9),
        Completion(externalID: "ada-da-4", learner: ada, courseID: "da-4", score: nil, day: 4),
        Completion(externalID: "ada-op-1", learner: ada, courseID: "op-1", score: 0.6, day: 5),
        // Fatima: da-1's certificate is revoked; three operations courses.
        Completion(externalID: "fatima-da-1", learner: fatima, courseID: "da-1", score: 0.88, day: 6),
        Completion(externalID: "fatima-da-2", learner: fatima, courseID: "da-2", score: 0.77, day: 7),
        Completion(externalID: "fatima-op-1", learner: fatima, courseID: "op-1", score: 0.5, day: 8),
        Completion(externalID: "fatima-op-2", learner: fatima, courseID: "op-2", score: 0.666, day: 9),
        Completion(externalID: "fatima-op-3", learner: fatima, courseID: "op-3", score: 0.9, day: 10),
        // Wei: op-1 twice, the better one revoked (the record shows the valid 75 %); op-12; two long courses.
        Completion(externalID: "wei-op-1-best", learner: wei, courseID: "op-1", score: 0.99, day: 11),
        Completion(externalID: "wei-op-1-valid", learner: wei, courseID: "op-1", score: 0.75, day: 12),
        Completion(externalID: "wei-op-12", learner: wei, courseID: "op-12", score: 1.0, day: 13),
        Completion(externalID: "wei-long-1", learner: wei, courseID: "long-1", score: 0.5, day: 14),
        Completion(externalID: "wei-long-40", learner: wei, courseID: "long-40", score: 0.61, day: 15),
    ]

    /// The completions whose certificates the fixture revokes.
    static let revoked: Set<String> = ["fatima-da-1", "wei-op-1-best"]

    /// What one row of a record must say: status label, grade, and the completion whose certificate it shows.
    struct ExpectedCourse: Equatable {
        var position: Int
        var courseID: String
        var title: String
        var status: String
        var grade: String
        var shown: String?
    }

    /// The expected rows of a learner's record in a program, derived from the rules, not from the code.
    static func expected(_ learner: Learner, program: String) -> [ExpectedCourse] {
        let courses =
            switch program {
            case "data-analysis": self.dataCourses
            case "operations": self.operationsCourses
            default: self.longCourses
            }
        return courses.enumerated().map { index, course in
            let mine = self.completions.filter { $0.learner == learner && $0.courseID == course.id }
            let valid = mine.filter { !self.revoked.contains($0.externalID) }
            if let best = valid.max(by: { ($0.score ?? -1, $0.day) < ($1.score ?? -1, $1.day) }) {
                let grade = best.score.map { Self.percent($0) } ?? ""
                return ExpectedCourse(
                    position: index + 1,
                    courseID: course.id,
                    title: course.title,
                    status: "Earned",
                    grade: grade,
                    shown: best.externalID
                )
            }
            if let revoked = mine.max(by: { $0.day < $1.day }) {
                return ExpectedCourse(
                    position: index + 1,
                    courseID: course.id,
                    title: course.title,
                    status: "Revoked",
                    grade: "",
                    shown: revoked.externalID
                )
            }
            return ExpectedCourse(
                position: index + 1,
                courseID: course.id,
                title: course.title,
                status: "Not earned",
                grade: "",
                shown: nil
            )
        }
    }

    private static func percent(_ score: Double) -> String {
        let tenths = Int((score * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }

    static func completionJSON(_ completion: Completion) -> String {
        let title = (self.dataCourses + self.operationsCourses + self.longCourses).first {
            $0.id == completion.courseID
        }!
        var object: [String: Any] = [
            "external_id": completion.externalID,
            "learner_id": completion.learner.id,
            "learner_name": completion.learner.name,
            "course_id": completion.courseID,
            "course_title": title.title,
            "organisation": "Attest Test Academy",
            "completed_at": "2026-04-\(String(format: "%02d", completion.day))T10:00:00Z",
        ]
        if let score = completion.score { object["score"] = score }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func completedOn(_ externalID: String) -> String {
        let day = self.completions.first { $0.externalID == externalID }!.day
        return "2026-04-\(String(format: "%02d", day))"
    }

    // MARK: - Building it

    let database: TestDatabase
    let storage: URL
    let directory: URL
    /// Verification code of each completion's certificate, by external id.
    let codes: [String: String]

    var environment: [String: String] {
        PipelineTestSupport.environment(databaseURL: self.database.url, storage: self.storage)
    }

    /// Imports the catalog, submits the completions, renders their certificates with a real worker, and revokes
    /// the fixture's revoked ones.
    static func build(database: TestDatabase, pool: PGPool, directory: URL) async throws -> RecordsFixture {
        let storage = directory.appendingPathComponent("storage")
        let catalogFile = directory.appendingPathComponent("catalog.json")
        try self.catalog.write(to: catalogFile, atomically: true, encoding: .utf8)
        let environment = PipelineTestSupport.environment(databaseURL: database.url, storage: storage)
        let imported = try await attest(["programs", "import", catalogFile.path], environment)
        guard imported.status == 0 else { throw TestSupportError("catalog import failed: \(imported.standardError)") }
        _ = try await pool.withConnection { connection in
            try await CompletionRepository().submit(self.completions.map(self.completionJSON), on: connection)
        }
        let worker = try await attest(["worker", "--drain", "--concurrency", "2"], environment)
        guard worker.status == 0 else { throw TestSupportError("worker failed: \(worker.standardError)") }
        let certificates = try await pool.withConnection { connection in
            try await CertificateRepository().list(externalIDs: self.completions.map(\.externalID), on: connection)
        }
        guard certificates.count == self.completions.count,
            certificates.allSatisfy({ $0.certificate.status == .issued })
        else { throw TestSupportError("expected \(self.completions.count) issued certificates") }
        let codes = Dictionary(
            uniqueKeysWithValues: certificates.map { ($0.externalID, $0.certificate.verificationCode) }
        )
        for externalID in self.revoked {
            _ = try await pool.withConnection { connection in
                try await CertificateRepository().revoke(code: codes[externalID]!, reason: "test", on: connection)
            }
        }
        return RecordsFixture(database: database, storage: storage, directory: directory, codes: codes)
    }
}

/// Runs the real `attest` executable.
func attest(_ arguments: [String], _ environment: [String: String]) async throws -> RunningProcess {
    try await RunningProcess.run(
        try IntegrationEnvironment.attestExecutable,
        arguments: arguments,
        environment: environment
    )
}

/// Runs a tool that must be installed (poppler-utils, python3) and returns its output; throws if it fails.
func tool(_ name: String, _ arguments: [String]) async throws -> String {
    guard let path = RunningProcess.which(name) else {
        throw TestSupportError("\(name) is needed: run scripts/bootstrap")
    }
    let result = try await RunningProcess.run(path, arguments: arguments)
    guard result.status == 0 else { throw TestSupportError("\(name) failed: \(result.standardError)") }
    return result.standardOutput
}
