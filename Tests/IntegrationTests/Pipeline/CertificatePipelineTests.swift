// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Crypto
import Foundation
import Glibc
import Testing

/// The whole pipeline with real `attest` processes: submit, render, store, record — exactly once.
@Suite("the certificate pipeline end to end", .requiresDatabase, .serialized)
struct CertificatePipelineTests {
    private func attest(
        _ arguments: [String],
        _ environment: [String: String],
        whileRunning: @escaping @Sendable (Int32) async throws -> Void = { _ in }
    ) async throws -> RunningProcess {
        try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: arguments,
            environment: environment,
            whileRunning: whileRunning
        )
    }

    private func submit(_ documents: [String], _ pool: PGPool) async throws {
        for batch in stride(from: 0, to: documents.count, by: 500) {
            _ = try await pool.withConnection { connection in
                try await CompletionRepository().submit(Array(documents[batch..<min(batch + 500, documents.count)]), on: connection)
            }
        }
    }

    private func certificates(_ pool: PGPool) async throws -> [CertificateRecord] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT learner_id FROM attest.certificates GROUP BY learner_id").map { try $0.decode("learner_id", as: String.self) }
                .asyncFlatMap { try await CertificateRepository().list(learnerID: $0, on: connection) }
        }
    }

    @Test("1,000 completions, some submitted twice, two worker processes: exactly 1,000 certificates, codes and files, hashes and QR codes right")
    func thousandCompletionsTwoWorkers() async throws {
        let storage = try PipelineTestSupport.temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: storage) }
        try await TestDatabase.withPool { database, pool in
            let documents = (0..<1_000).map { PipelineTestSupport.completion($0, template: $0 % 3 == 0 ? "modern" : nil) }
            try await self.submit(documents, pool)
            try await self.submit(Array(documents.prefix(150)), pool)
            let environment = PipelineTestSupport.environment(databaseURL: database.url, storage: storage)
            let workers = try await withThrowingTaskGroup(of: RunningProcess.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await self.attest(["worker", "--drain", "--concurrency", "4"], environment) }
                }
                return try await group.reduce(into: [RunningProcess]()) { $0.append($1) }
            }
            for worker in workers { #expect(worker.status == 0, "\(worker.standardError)") }

            let certificates = try await self.certificates(pool)
            #expect(certificates.count == 1_000)
            #expect(Set(certificates.map(\.completionID)).count == 1_000)
            #expect(Set(certificates.map(\.verificationCode)).count == 1_000)
            let troubled = try await QueueTestSupport.troubledJobs(pool)
            #expect(certificates.allSatisfy { $0.status == .issued }, "\(troubled)")
            let files = PipelineTestSupport.files(under: storage)
            let paths = Set(certificates.compactMap(\.documentPath))
            #expect(files == paths, "\(files.symmetricDifference(paths).prefix(5)) differ")

            try await withThrowingTaskGroup(of: [String].self) { group in
                for lane in 0..<2 {
                    group.addTask {
                        var problems: [String] = []
                        for certificate in certificates.enumerated().filter({ $0.offset % 2 == lane }).map(\.element) {
                            let file = storage.appendingPathComponent(certificate.documentPath ?? "missing")
                            let bytes = try Data(contentsOf: file)
                            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                            if digest != certificate.documentSHA256 || bytes.count != certificate.documentBytes {
                                problems.append("\(certificate.verificationCode): stored hash or size differs from the file")
                            }
                            let decoded = try await PipelineTestSupport.decodeQR(pdf: file)
                            if decoded != "https://verify.example.org/v/\(certificate.verificationCode)" {
                                problems.append("\(certificate.verificationCode): QR decodes to \(decoded ?? "nothing")")
                            }
                        }
                        return problems
                    }
                }
                let problems = try await group.reduce(into: [String]()) { $0 += $1 }
                #expect(problems.isEmpty, "\(problems.prefix(10))")
            }
        }
    }

    @Test("a worker killed with SIGKILL again and again, then a clean drain: one certificate and one file per completion, no orphan file")
    func killedWorkersLeaveNoDuplicatesOrOrphans() async throws {
        let storage = try PipelineTestSupport.temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: storage) }
        try await TestDatabase.withPool { database, pool in
            try await self.submit((0..<2_000).map { PipelineTestSupport.completion($0) }, pool)
            let environment = PipelineTestSupport.environment(databaseURL: database.url, storage: storage)
            let arguments = ["worker", "--concurrency", "8", "--lease-seconds", "3", "--rescue-seconds", "0.5", "--poll-seconds", "0.5"]
            for round in 0..<6 {
                let killed = try await self.attest(arguments, environment) { processID in
                    try await Task.sleep(for: .milliseconds(700 + 300 * round))
                    kill(processID, SIGKILL)
                }
                #expect(killed.status == 128 + SIGKILL)
            }
            let drain = try await self.attest(arguments + ["--drain"], environment)
            #expect(drain.status == 0, "\(drain.standardError)")

            let certificates = try await self.certificates(pool)
            #expect(certificates.count == 2_000)
            #expect(Set(certificates.map(\.completionID)).count == 2_000)
            #expect(certificates.allSatisfy { $0.status == .issued && $0.documentSHA256 != nil })
            let files = PipelineTestSupport.files(under: storage)
            let documents = Set(certificates.compactMap(\.documentPath))
            #expect(files.subtracting(documents).isEmpty, "files no certificate points at: \(files.subtracting(documents).prefix(5))")
            #expect(documents.subtracting(files).isEmpty, "certificates without a file: \(documents.subtracting(files).prefix(5))")
            let states = try await QueueTestSupport.counts(pool)
            #expect(states == ["succeeded": 2_000])
        }
    }

    @Test("attest bench pipeline warms up, takes every completion end to end, reports the figures and removes its files")
    func benchPipeline() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("bench")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let environment = PipelineTestSupport.environment(
                databaseURL: database.url,
                storage: directory.appendingPathComponent("files")
            )
            let result = try await self.attest(
                ["bench", "pipeline", "--count", "40", "--warm-up", "15", "--render-sample", "20", "--concurrency", "4", "--json"],
                environment
            )
            #expect(result.status == 0, "\(result.standardError)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                "\(result.standardOutput)"
            )
            #expect(report["certificates"] as? Int == 40 && report["warm_up_certificates"] as? Int == 15, "\(report)")
            let endToEnd = try #require(report["end_to_end_per_second"] as? Double)
            let renderOnly = try #require(report["render_only_per_second"] as? Double)
            let share = try #require(report["end_to_end_share_of_render_only"] as? Double)
            #expect(endToEnd > 0 && renderOnly > 0 && abs(share - endToEnd / renderOnly) < 1e-9)
            #expect((report["start_rss_megabytes"] as? Double ?? 0) > 0 && (report["end_rss_megabytes"] as? Double ?? 0) > 0)
            let issued = try await pool.query("SELECT count(*)::bigint AS issued FROM attest.certificates WHERE status = 'issued'")
            #expect(try issued[0].decode("issued", as: Int.self) == 55, "the warm-up's 15 and the run's 40")
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(!left.contains { $0.hasPrefix("attest-bench-") }, "its storage directory is removed: \(left)")
        }
    }

    @Test("attest enqueue reports valid, duplicate and invalid lines and keeps the valid ones")
    func enqueueMixedFile() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("enqueue")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            try await self.submit([PipelineTestSupport.completion(1)], pool)
            let lines = [
                PipelineTestSupport.completion(1),  // duplicate of an earlier submission
                PipelineTestSupport.completion(2),
                #"{"external_id": "broken", "learner_id": "l"}"#,
                "",
                "not json at all",
                PipelineTestSupport.completion(3),
                PipelineTestSupport.completion(2),  // duplicate within the file
                #"{"external_id": "bell", "learner_id": "l", "learner_name": "Bell\u0007", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#,
            ]
            let file = directory.appendingPathComponent("completions.jsonl")
            try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            let result = try await self.attest(["enqueue", file.path], ["DATABASE_URL": database.url])
            #expect(result.status == 1)
            let output = result.standardOutput
            #expect(output.contains("line 3: learner_name: is required"), "\(output)")
            #expect(output.contains("line 5: $: is not valid JSON"), "\(output)")
            #expect(output.contains("line 8: learner_name: contains a control character"), "\(output)")
            #expect(output.contains("accepted 2, duplicates 2, rejected 3"), "\(output)")
            let externalIDs = try await pool.query("SELECT external_id FROM attest.completions ORDER BY external_id")
                .map { try $0.decode("external_id", as: String.self) }
            #expect(externalIDs == ["ext-1", "ext-2", "ext-3"])
        }
    }

    @Test("an unknown template discards the job with a clear error; revoke, show and list work on issued certificates")
    func unknownTemplateAndOperatorCommands() async throws {
        let storage = try PipelineTestSupport.temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: storage) }
        try await TestDatabase.withPool { database, pool in
            try await self.submit([PipelineTestSupport.completion(1, learner: "ada"), PipelineTestSupport.completion(2, template: "no-such-template")], pool)
            let environment = PipelineTestSupport.environment(databaseURL: database.url, storage: storage)
            let drain = try await self.attest(["worker", "--drain"], environment)
            #expect(drain.status == 0, "\(drain.standardError)")

            let discarded = try await self.attest(["jobs", "list", "--state", "discarded"], environment)
            #expect(discarded.standardOutput.contains("certificate.render"))
            #expect(discarded.standardOutput.contains("template no-such-template cannot be used"), "\(discarded.standardOutput)")

            let list = try await self.attest(["certificates", "list", "--learner", "ada", "--json"], environment)
            #expect(list.status == 0, "\(list.standardError)")
            let code = try #require(try await self.certificates(pool).first?.verificationCode)
            #expect(list.standardOutput.contains(code))

            let revoke = try await self.attest(["revoke", code.lowercased(), "--reason", "issued in error"], environment)
            #expect(revoke.status == 0, "\(revoke.standardError)")
            let show = try await self.attest(["certificates", "show", code, "--json"], environment)
            #expect(show.standardOutput.contains("\"status\" : \"revoked\""), "\(show.standardOutput)")
            #expect(show.standardOutput.contains("issued in error"))
            let again = try await self.attest(["revoke", code, "--reason", "twice"], environment)
            #expect(again.status == 1)
            let unknown = try await self.attest(["certificates", "show", "NOTACODE"], environment)
            #expect(unknown.status == 1)
            #expect(unknown.standardError.contains("no certificate has the code"))
        }
    }

    @Test("attest demo on its own private cluster prints the table, and a second run reuses the cluster and certificates")
    func demoRunsTwice() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        var environment = PipelineTestSupport.environment(databaseURL: "", storage: directory.appendingPathComponent("files"))
        environment["ATTEST_PUBLIC_URL"] = "http://127.0.0.1:8080"
        let root = IntegrationEnvironment.repositoryRoot
        let arguments = [
            "demo", "--cluster-directory", directory.appendingPathComponent("postgres").path,
            "--samples", root.appendingPathComponent("samples/completions.jsonl").path, "--no-serve",
        ]
        let first = try await self.attest(arguments, environment)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("13 new"))
        #expect(first.standardOutput.contains("13 of 13 certificates issued"), "\(first.standardOutput)")
        let urls = first.standardOutput.matches(of: /http:\/\/127\.0\.0\.1:8080\/v\/[0-9A-Z]{26}/).map { String($0.output) }
        #expect(urls.count == 13)
        let second = try await self.attest(arguments, environment)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("0 new, 13 already submitted"))
        #expect(second.standardOutput.matches(of: /http:\/\/127\.0\.0\.1:8080\/v\/[0-9A-Z]{26}/).map { String($0.output) } == urls)
    }
}

extension Array {
    fileprivate func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result += try await transform(element) }
        return result
    }
}
