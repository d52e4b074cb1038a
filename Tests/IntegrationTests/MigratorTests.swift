// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

@Suite("attest migrate against a real PostgreSQL", .requiresDatabase)
struct MigratorTests {
    private func migrate(_ url: String) async throws -> RunningProcess {
        try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["migrate"],
            environment: ["DATABASE_URL": url]
        )
    }

    private func appliedVersions(_ database: TestDatabase) async throws -> [Int] {
        try await database.withConnection { connection in
            try await connection.query("SELECT version FROM attest.schema_migrations ORDER BY version")
                .map { try $0.decode("version", as: Int.self) }
        }
    }

    @Test("attest migrate twice leaves one copy of each migration")
    func twice() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let first = try await self.migrate(database.url)
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("applied"))
            let second = try await self.migrate(database.url)
            #expect(second.status == 0, "\(second.standardError)")
            #expect(second.standardOutput.contains("up to date"))
            let expected = try Migration.bundled().map(\.version)
            #expect(try await self.appliedVersions(database) == expected)
        }
    }

    @Test("two attest migrate at once take turns and leave one copy of each migration")
    func concurrently() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let results = try await withThrowingTaskGroup(of: RunningProcess.self) { group in
                for _ in 0..<2 { group.addTask { try await self.migrate(database.url) } }
                return try await group.reduce(into: [RunningProcess]()) { $0.append($1) }
            }
            for result in results { #expect(result.status == 0, "\(result.standardError)") }
            #expect(results.filter { $0.standardOutput.contains("applied") }.count == 1)
            let expected = try Migration.bundled().map(\.version)
            #expect(try await self.appliedVersions(database) == expected)
        }
    }
}
