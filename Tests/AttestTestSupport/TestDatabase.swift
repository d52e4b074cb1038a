// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
public import AttestPQ
import Foundation
import Logging


/// A database of its own for one test, created in the test cluster, migrated, and dropped afterwards.
public struct TestDatabase: Sendable {
    /// The connection string of this test's database.
    public let url: String
    public let name: String

    /// Creates a fresh database, optionally migrated, runs `body`, and drops the database.
    public static func with<R: Sendable>(
        migrated: Bool = true,
        _ body: (TestDatabase) async throws -> R
    ) async throws -> R {
        let database = try await self.create(migrated: migrated)
        do {
            let value = try await body(database)
            try await database.drop()
            return value
        } catch {
            try? await database.drop()
            throw error
        }
    }

    static func create(migrated: Bool) async throws -> TestDatabase {
        guard let adminURL = IntegrationEnvironment.databaseURL else {
            throw TestSupportError("TEST_DATABASE_URL is not set (REQUIRE_INTEGRATION=1): run under scripts/with-postgres")
        }
        let name = "attest_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await self.withAdmin(adminURL) { connection in
            try await connection.query("CREATE DATABASE \(name)")
        }
        let database = TestDatabase(url: Self.url(adminURL, database: String(name)), name: String(name))
        if migrated {
            _ = try await database.withConnection { connection in
                try await migrate(connection)
            }
        }
        return database
    }

    /// Drops the database, ending any session still connected to it.
    public func drop() async throws {
        guard let adminURL = IntegrationEnvironment.databaseURL else { return }
        try await Self.withAdmin(adminURL) { connection in
            try await connection.query("DROP DATABASE IF EXISTS \(self.name) WITH (FORCE)")
        }
    }

    /// Creates a fresh migrated database and a pool on it for `body`; closes and drops both afterwards.
    public static func withPool(
        maximumConnections: Int = 6,
        _ body: (TestDatabase, PGPool) async throws -> Void
    ) async throws {
        try await self.with { database in
            let pool = PGPool(
                configuration: .init(connectionString: database.url, maximumConnections: maximumConnections),
                logger: Logger(label: "test")
            )
            do {
                try await body(database, pool)
                try await pool.close()
            } catch {
                try? await pool.close()
                throw error
            }
        }
    }

    /// Opens a connection to this test's database for `body`.
    public func withConnection<R: Sendable>(_ body: (PGConnection) async throws -> R) async throws -> R {
        try await PGConnection.withConnection(to: self.url, body)
    }

    private static func withAdmin(_ url: String, _ body: (PGConnection) async throws -> Void) async throws {
        try await PGConnection.withConnection(to: url, body)
    }

    /// `url` pointed at another database, in URI or keyword form.
    public static func url(_ url: String, database: String) -> String {
        if url.contains("://"), var components = URLComponents(string: url) {
            components.path = "/" + database
            return components.string ?? url
        }
        return url + " dbname=" + database
    }
}
