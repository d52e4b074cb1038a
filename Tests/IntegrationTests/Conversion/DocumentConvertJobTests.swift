// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestTestSupport
import Crypto
import Foundation
import Testing

/// `attest convert --enqueue` and the `document.convert` job, with real PostgreSQL, LibreOffice and storage.
@Suite("document conversions through the queue", .requiresDatabase, .serialized)
struct DocumentConvertJobTests {
    @Test("queued decks are converted by the worker into storage; bad ones fail with their reason, empty ones are refused")
    func enqueueAndDrain() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("convert-jobs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = directory.appendingPathComponent("storage")
        let decks = try await FixtureDecks.shared.directory()
        let inputs = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        // Names an operator might really use: a leading dash, quotes and non-ASCII.
        let text = inputs.appendingPathComponent("-Einführung \"Teil 1\".pptx")
        let hidden = inputs.appendingPathComponent("hidden.ppt")
        let garbage = inputs.appendingPathComponent("garbage.pptx")
        let empty = inputs.appendingPathComponent("empty.pptx")
        try FileManager.default.copyItem(at: decks.appendingPathComponent("text.pptx"), to: text)
        try FileManager.default.copyItem(at: decks.appendingPathComponent("hidden.ppt"), to: hidden)
        try Data((0..<50_000).map { _ in UInt8.random(in: 0...255) }).write(to: garbage)
        try Data().write(to: empty)

        try await TestDatabase.withPool { database, pool in
            let environment = PipelineTestSupport.environment(databaseURL: database.url, storage: storage)
            let attest = try IntegrationEnvironment.attestExecutable
            let queued = try await RunningProcess.run(
                attest,
                arguments: ["convert", "--enqueue", "--", text.path, hidden.path, garbage.path, empty.path],
                environment: environment
            )
            #expect(queued.status == 1, "\(queued.standardError)")
            #expect(queued.standardOutput.contains("FAILED \(empty.path): the file is empty"), "\(queued.standardOutput)")
            let ids = queued.standardOutput.matches(of: /as conversion ([0-9a-f-]{36})/).map { String($0.output.1) }
            #expect(ids.count == 3, "\(queued.standardOutput)")

            let drain = try await RunningProcess.run(
                attest,
                arguments: ["worker", "--drain", "--hosts", "1"],
                environment: environment
            )
            #expect(drain.status == 0, "\(drain.standardError)")

            let rows = try await pool.query(
                """
                SELECT source_name, state, pages, slides, output_path, output_sha256, output_bytes, error
                FROM attest.conversions ORDER BY created_at
                """
            )
            #expect(rows.count == 3)
            var seen: [String: (state: String, pages: Int?, error: String?)] = [:]
            for row in rows {
                let name: String = try row.decode("source_name")
                seen[name] = (try row.decode("state"), try row.decode("pages"), try row.decode("error"))
                guard let path: String = try row.decode("output_path") else { continue }
                let bytes = try Data(contentsOf: storage.appendingPathComponent(path))
                #expect(bytes.starts(with: Array("%PDF-".utf8)))
                let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                #expect(digest == (try row.decode("output_sha256", as: String?.self)))
                #expect(bytes.count == (try row.decode("output_bytes", as: Int?.self)))
            }
            #expect(seen[text.lastPathComponent]?.state == "succeeded")
            #expect(seen[text.lastPathComponent]?.pages == 3)
            #expect(seen["hidden.ppt"]?.state == "succeeded")
            #expect(seen["hidden.ppt"]?.pages == 3, "hidden slides are not printed")
            #expect(seen["garbage.pptx"]?.state == "failed")
            #expect(seen["garbage.pptx"]?.error?.isEmpty == false)

            let jobs = try await QueueTestSupport.counts(pool)
            #expect(jobs == ["succeeded": 2, "discarded": 1])
            let discarded = try await RunningProcess.run(
                attest,
                arguments: ["jobs", "list", "--state", "discarded"],
                environment: environment
            )
            #expect(discarded.standardOutput.contains("garbage.pptx"), "\(discarded.standardOutput)")
        }
    }
}
