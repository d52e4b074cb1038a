// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Logging

/// Brings the `attest` schema up to date; safe to run again and from several processes at once.
public struct Migrator: Sendable {
    /// What a run did.
    public struct Report: Sendable {
        /// The migrations this run applied, in order (empty when the schema was already current).
        public var applied: [Migration]
        /// The schema version after the run.
        public var version: Int
    }

    /// Session advisory-lock key that serialises `attest migrate` runs ("attestmg" in ASCII).
    static let lockKey: Int64 = 0x6174_7465_7374_6D67

    public let migrations: [Migration]
    private let logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every migration not yet recorded in `attest.schema_migrations`, each in its own transaction.
    public func migrate(on connection: PGConnection) async throws -> Report {
        try await connection.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
        do {
            let report = try await self.migrateLocked(on: connection)
            try await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
            return report
        } catch {
            // The lock belongs to the session; closing a broken connection releases it too.
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
            throw error
        }
    }

    private func migrateLocked(on connection: PGConnection) async throws -> Report {
        try await connection.runScript(
            """
            CREATE SCHEMA IF NOT EXISTS attest;
            CREATE TABLE IF NOT EXISTS attest.schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """
        )
        let applied = Set(
            try await connection.query("SELECT version FROM attest.schema_migrations").map { try $0.decode(0, as: Int.self) }
        )
        let known = Set(self.migrations.map(\.version))
        if let unknown = applied.subtracting(known).max() {
            throw DatabaseError(
                .schemaTooNew,
                "the database has schema version \(unknown), which this Attest does not know; upgrade Attest"
            )
        }
        var report = Report(applied: [], version: applied.max() ?? 0)
        for migration in self.migrations where !applied.contains(migration.version) {
            self.logger.debug(
                "Applying migration",
                metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"]
            )
            try await connection.transaction { connection in
                try await connection.runScript(migration.sql)
                try await connection.query(
                    "INSERT INTO attest.schema_migrations (version, name) VALUES ($1, $2)",
                    [migration.version, migration.name]
                )
            }
            report.applied.append(migration)
            report.version = migration.version
        }
        return report
    }

    /// The highest applied version, or 0 for a database never migrated.
    public static func currentVersion(on connection: PGConnection) async throws -> Int {
        let exists = try await connection.query("SELECT to_regclass('attest.schema_migrations') IS NOT NULL AS present")
        guard try exists[0].decode("present", as: Bool.self) else { return 0 }
        let rows = try await connection.query("SELECT coalesce(max(version), 0)::bigint AS version FROM attest.schema_migrations")
        return try rows[0].decode("version")
    }
}
