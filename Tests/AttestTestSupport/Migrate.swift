// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestDatabase
public import AttestPQ
import Logging

/// Migrates the database behind `connection` with the migrations Attest ships.
@discardableResult
public func migrate(_ connection: PGConnection) async throws -> Migrator.Report {
    try await Migrator(migrations: try Migration.bundled(), logger: Logger(label: "test")).migrate(on: connection)
}
