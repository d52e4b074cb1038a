// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

/// Program records end to end: real certificates, the `attest records` commands, and the JSON, CSV and PDF they
/// write checked with Python's csv module, pdftotext, pdfinfo and zbarimg.
@Suite("program records", .requiresDatabase, .serialized)
struct ProgramRecordsTests {
    /// Every learner and program of the fixture that has a record.
    static let cases: [(learner: RecordsFixture.Learner, program: String)] = [
        (RecordsFixture.ada, "data-analysis"), (RecordsFixture.ada, "operations"),
        (RecordsFixture.fatima, "data-analysis"), (RecordsFixture.fatima, "operations"),
        (RecordsFixture.wei, "operations"), (RecordsFixture.wei, "data-analysis"),
    ]

    @Test("the record JSON, CSV and PDF of 3 learners in 2 programs agree on every course's status and grade")
    func formatsAgree() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("records")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            for (learner, program) in Self.cases {
                let expected = RecordsFixture.expected(learner, program: program)
                let label = "\(learner.id) in \(program)"
                let share = try await attest(
                    ["records", "share", "--learner", learner.id, "--program", program],
                    fixture.environment
                )
                #expect(share.status == 0, "\(share.standardError)")
                let shareURL = share.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)

                let csv = directory.appendingPathComponent("\(learner.id)-\(program).csv")
                let pdf = directory.appendingPathComponent("\(learner.id)-\(program).pdf")
                let show = try await attest(
                    [
                        "records", "show", "--learner", learner.id, "--program", program, "--json", "--csv", csv.path,
                        "--pdf", pdf.path,
                    ],
                    fixture.environment
                )
                try #require(show.status == 0, "\(show.standardError)")

                // JSON
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any]
                )
                let courses = try #require(json["courses"] as? [[String: Any]])
                let statusLabels = ["earned": "Earned", "revoked": "Revoked", "not_earned": "Not earned"]
                let fromJSON = courses.map { course in
                    RecordsFixture.ExpectedCourse(
                        position: course["position"] as? Int ?? 0,
                        courseID: course["course_id"] as? String ?? "",
                        title: course["title"] as? String ?? "",
                        status: statusLabels[course["status"] as? String ?? ""] ?? "?",
                        grade: course["grade"] as? String ?? "",
                        shown: (course["verification_code"] as? String).flatMap { code in
                            fixture.codes.first { $0.value == code }?.key
                        }
                    )
                }
                #expect(fromJSON == expected, "JSON of \(label)")
                #expect(json["earned"] as? Int == expected.count { $0.status == "Earned" })
                #expect(json["total"] as? Int == expected.count)
                #expect((json["learner"] as? [String: Any])?["name"] as? String == learner.name)

                // CSV, read by Python's csv module
                let rows = try await self.csvRows(csv)
                var expectedRows = [ProgramRecordCSV.header]
                let programTitle = program == "operations" ? "Operations, \"Advanced\"" : "Data Analysis"
                for course in expected {
                    expectedRows.append([
                        program, programTitle, learner.id, learner.name, String(course.position), course.courseID,
                        course.title, course.status, course.grade,
                        course.shown.map(RecordsFixture.completedOn) ?? "",
                        course.shown.map { "https://verify.example.org/v/\(fixture.codes[$0]!)" } ?? "",
                    ])
                }
                #expect(rows == expectedRows, "CSV of \(label)")
                let bytes = try Data(contentsOf: csv)
                #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
                #expect(
                    String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").count == expected.count + 2
                )

                // PDF: every row's status and grade, and the QR code
                let fromPDF = try await self.pdfRows(pdf)
                #expect(fromPDF.map(\.position) == expected.map(\.position), "PDF rows of \(label)")
                for (row, course) in zip(fromPDF, expected) {
                    #expect(row.status == course.status, "PDF status of \(course.courseID), \(label)")
                    #expect(
                        row.grade == (course.grade.isEmpty ? "–" : course.grade),
                        "PDF grade of \(course.courseID), \(label)"
                    )
                }
                let text = try await tool("pdftotext", ["-layout", pdf.path, "-"])
                #expect(
                    text.contains("\(expected.count { $0.status == "Earned" }) of \(expected.count) courses earned")
                )
                #expect(try await PipelineTestSupport.decodeQR(pdf: pdf) == shareURL, "QR of \(label)")
            }
        }
    }

    @Test("records list shows each started program with progress and its share link")
    func list() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("records-list")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            let share = try await attest(
                ["records", "share", "--learner", "learner-ada", "--program", "operations"],
                fixture.environment
            )
            let list = try await attest(["records", "list", "--learner", "learner-ada", "--json"], fixture.environment)
            try #require(list.status == 0, "\(list.standardError)")
            let programs = try #require(
                try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
            )
            #expect(programs.map { $0["program_id"] as? String } == ["data-analysis", "operations"])
            #expect(programs.map { $0["earned"] as? Int } == [4, 1])
            #expect(programs.map { $0["total"] as? Int } == [5, 12])
            #expect(programs[0]["share_url"] is NSNull)
            #expect(
                programs[1]["share_url"] as? String
                    == share.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            )

            let nobody = try await attest(["records", "list", "--learner", "nobody"], fixture.environment)
            #expect(nobody.status == 0)
            #expect(nobody.standardOutput.contains("started no program"))
            let unknown = try await attest(
                ["records", "show", "--learner", "learner-ada", "--program", "nope"],
                fixture.environment
            )
            #expect(unknown.status == 1)
            #expect(unknown.standardError.contains("no record for learner learner-ada in program nope"))
        }
    }

    @Test(
        "a 40-course program gives a multi-page PDF whose table continues with its header; rendering is deterministic"
    )
    func longProgram() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("records-long")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            let share = try await attest(
                ["records", "share", "--learner", "learner-wei", "--program", "long"],
                fixture.environment
            )
            try #require(share.status == 0, "\(share.standardError)")
            let pdf = directory.appendingPathComponent("long.pdf")
            let again = directory.appendingPathComponent("long-again.pdf")
            for file in [pdf, again] {
                let show = try await attest(
                    ["records", "show", "--learner", "learner-wei", "--program", "long", "--pdf", file.path],
                    fixture.environment
                )
                try #require(show.status == 0, "\(show.standardError)")
            }
            #expect(try Data(contentsOf: pdf) == Data(contentsOf: again))

            let info = try await tool("pdfinfo", [pdf.path])
            let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap {
                Int($0.split(separator: " ").last ?? "")
            }
            #expect((pages ?? 0) >= 2, "\(info)")
            let rows = try await self.pdfRows(pdf)
            #expect(rows.map(\.position) == Array(1...40))
            #expect(rows.first?.status == "Earned" && rows.first?.grade == "50%")
            #expect(rows.last?.status == "Earned" && rows.last?.grade == "61%")
            let second = try await tool("pdftotext", ["-layout", "-f", "2", "-l", "2", pdf.path, "-"])
            #expect(second.contains("continued"))
            #expect(second.range(of: #"#\s+Course\s+Status\s+Grade\s+Completed"#, options: .regularExpression) != nil)
            #expect(second.contains("Page 2 of \(pages ?? 0)"))
            #expect(
                try await PipelineTestSupport.decodeQR(pdf: pdf)
                    == share.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
    }

    // MARK: - Reading the files back

    private func csvRows(_ file: URL) async throws -> [[String]] {
        let script =
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))"
        let output = try await tool("python3", ["-c", script, file.path])
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String]])
    }

    /// The table rows pdftotext finds: position, status and grade of each.
    private func pdfRows(_ file: URL) async throws -> [(position: Int, status: String, grade: String)] {
        let text = try await tool("pdftotext", ["-layout", file.path, "-"])
        let pattern = try Regex(
            #"^\s*(\d+)\s+.*?\s(Earned|Revoked|Not earned)\s+(\d+(?:\.\d)?%|–)\s+(\d{4}-\d{2}-\d{2}|–)"#
        )
        return text.split(separator: "\n").compactMap { line -> (Int, String, String)? in
            guard let match = try? pattern.firstMatch(in: String(line)) else { return nil }
            let captures = match.output
            guard let position = captures[1].substring.flatMap({ Int($0) }),
                let status = captures[2].substring, let grade = captures[3].substring
            else { return nil }
            return (position, String(status), String(grade))
        }
    }
}
