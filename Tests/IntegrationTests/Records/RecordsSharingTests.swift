// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

/// Share links: the same link twice, taken back at once, a new token after resharing, the audit, the switch.
@Suite("program record share links", .requiresDatabase, .serialized)
struct RecordsSharingTests {
    private func activeShare(_ url: String, _ pool: PGPool) async throws -> RecordShare? {
        let token = try #require(ShareToken(parsing: url.split(separator: "/").last ?? ""))
        return try await pool.withConnection { connection in
            try await RecordShareRepository().findActive(token: token, on: connection)
        }
    }

    @Test(
        "share twice gives the same link; unshare kills it at once; resharing gives a new token and the old stays dead"
    )
    func lifecycle() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("shares")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            let arguments = ["records", "share", "--learner", "learner-fatima", "--program", "data-analysis"]
            let first = try await attest(arguments + ["--operator", "alice"], fixture.environment)
            let second = try await attest(arguments, fixture.environment)
            try #require(first.status == 0, "\(first.standardError)")
            let url = first.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(second.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == url)
            #expect(url.hasPrefix("https://verify.example.org/r/"))
            let token = String(url.split(separator: "/").last ?? "")
            #expect(token.count == ShareToken.length)
            #expect(try await self.activeShare(url, pool)?.learnerID == "learner-fatima")

            let unshare = try await attest(
                ["records", "unshare", token.lowercased(), "--operator", "bob"],
                fixture.environment
            )
            #expect(unshare.status == 0, "\(unshare.standardError)")
            #expect(try await self.activeShare(url, pool) == nil)
            let twice = try await attest(["records", "unshare", url], fixture.environment)
            #expect(twice.status == 1)
            #expect(twice.standardError.contains("no active share"))

            let reshare = try await attest(arguments, fixture.environment)
            let newURL = reshare.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(reshare.status == 0)
            #expect(newURL != url)
            #expect(try await self.activeShare(url, pool) == nil)
            #expect(try await self.activeShare(newURL, pool) != nil)

            let history = try await pool.withConnection { connection in
                try await RecordShareRepository().history(learnerID: "learner-fatima", on: connection)
            }
            #expect(history.count == 2)
            #expect(history[0].token == token)
            #expect(history[0].createdBy == "operator:alice")
            #expect(history[0].revokedBy == "operator:bob")
            #expect(history[0].revokedAt != nil)
            #expect(history[1].isActive)
            let audit = try await attest(["records", "shares", "--learner", "learner-fatima"], fixture.environment)
            #expect(audit.status == 0, "\(audit.standardError)")
            let lines = audit.standardOutput.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.contains("by operator:alice") == true && lines.first?.contains("by operator:bob") == true)
            #expect(lines.last?.contains("active  \(newURL)") == true)

            // The audit cannot be rewritten: a revoked share stays revoked.
            await #expect(throws: PGError.self) {
                try await pool.query(
                    "UPDATE attest.record_shares SET revoked_at = NULL, revoked_by = NULL WHERE token = $1",
                    [token]
                )
            }
        }
    }

    @Test("malformed and unknown tokens are both just unknown; sharing an unknown program or learner fails")
    func unknowns() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("shares-unknown")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            for token in [ShareToken.random().text, "not-a-token", "../../etc/passwd"] {
                let result = try await attest(["records", "unshare", token], fixture.environment)
                #expect(result.status == 1)
                #expect(result.standardError.contains("no active share has the token"))
            }
            let program = try await attest(
                ["records", "share", "--learner", "learner-ada", "--program", "nope"],
                fixture.environment
            )
            #expect(program.status == 1)
            let learner = try await attest(
                ["records", "share", "--learner", "nobody", "--program", "operations"],
                fixture.environment
            )
            #expect(learner.status == 1)
            #expect(learner.standardError.contains("no record for learner nobody"))
        }
    }

    @Test("concurrent shares of one record all get the one link")
    func concurrentShares() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("shares-concurrent")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            _ = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try await RecordShareRepository().share(
                                learnerID: "learner-wei",
                                programID: "operations",
                                createdBy: "test",
                                on: connection
                            ).share.token
                        }
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(tokens.count == 1)
        }
    }

    @Test("with ATTEST_RECORDS_ENABLED=false sharing is refused with a clear message; taking a link back still works")
    func switchedOff() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("shares-off")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            let shared = try await attest(
                ["records", "share", "--learner", "learner-ada", "--program", "operations"],
                fixture.environment
            )
            var off = fixture.environment
            off["ATTEST_RECORDS_ENABLED"] = "false"
            let refused = try await attest(
                ["records", "share", "--learner", "learner-ada", "--program", "operations"],
                off
            )
            #expect(refused.status == 1)
            #expect(refused.standardError.contains("ATTEST_RECORDS_ENABLED=false"))
            let unshare = try await attest(
                ["records", "unshare", shared.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)],
                off
            )
            #expect(unshare.status == 0, "\(unshare.standardError)")
        }
    }
}
