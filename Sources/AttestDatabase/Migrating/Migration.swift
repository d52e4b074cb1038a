// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// One numbered schema change: `Migrations/NNNN_name.sql`, applied once, in order, in its own transaction.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations shipped with Attest, in version order.
    public static func bundled() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw DatabaseError(.missingMigrations, "the Migrations resource folder is missing from the build")
        }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        return try files.filter { $0.pathExtension == "sql" }
            .map { try Migration(file: $0) }
            .sorted { $0.version < $1.version }
    }

    /// Reads `NNNN_name.sql`.
    init(file: URL) throws {
        let base = file.deletingPathExtension().lastPathComponent
        let parts = base.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let version = Int(parts[0]) else {
            throw DatabaseError(.missingMigrations, "migration file \(file.lastPathComponent) is not named NNNN_name.sql")
        }
        self.init(version: version, name: String(parts[1]), sql: try String(contentsOf: file, encoding: .utf8))
    }
}
