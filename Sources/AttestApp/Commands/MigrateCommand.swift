// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestDatabase
import AttestPQ
import Logging


/// `attest migrate`: brings the database schema up to date; safe to repeat and to run concurrently.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the attest schema in DATABASE_URL.",
        discussion: """
            Applies the numbered migrations this build ships that the database has not seen yet, each in its \
            own transaction, and records them in attest.schema_migrations. Running it again does nothing; two \
            runs at once take turns (PostgreSQL advisory lock).
            """
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings = try self.common.settings()
        let logger = Logger(label: "attest.migrate")
        let migrator = Migrator(migrations: try Migration.bundled(), logger: logger)
        let report = try await withDatabaseConnection(settings) { connection in
            try await migrator.migrate(on: connection)
        }
        if report.applied.isEmpty {
            print("schema is up to date at version \(report.version)")
        } else {
            let names = report.applied.map { "\($0.version) \($0.name)" }.joined(separator: ", ")
            print("applied \(report.applied.count) migration(s): \(names); schema at version \(report.version)")
        }
    }
}

/// Opens one connection to the configured database for a short command, and closes it afterwards.
func withDatabaseConnection<R: Sendable>(
    _ settings: AttestSettings,
    _ body: (PGConnection) async throws -> R
) async throws -> R {
    try await PGConnection.withConnection(to: try settings.requireDatabaseURL(), body)
}
