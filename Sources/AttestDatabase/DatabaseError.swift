// Attest — certificates and documents you can verify. Apache-2.0.

/// Failures of `AttestDatabase` that are not PostgreSQL's own (those stay `PGError`).
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The migration files shipped with the build are missing or misnamed.
        case missingMigrations
        /// The database has migrations this build does not know: it was migrated by a newer Attest.
        case schemaTooNew
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?
    public var file: String
    public var line: Int

    public init(
        _ code: Code,
        _ message: String,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String { self.message }
}
