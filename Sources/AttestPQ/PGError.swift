// Attest — certificates and documents you can verify. Apache-2.0.

/// Every failure `AttestPQ` reports: connecting, a server error with its SQLSTATE, decoding, or the pool.
///
/// `description` never contains SQL text or a password; it is safe to print to an operator.
public struct PGError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// `DATABASE_URL` (or the string passed) is not a libpq connection string.
        case invalidConnectionString
        /// The server could not be reached or refused the login.
        case connectionFailed
        /// The connection broke while a statement ran; the statement may or may not have run.
        case connectionLost
        /// The server rejected a statement; `sqlState` says why.
        case server
        /// A row has no column with the requested name or index.
        case columnNotFound
        /// A column's PostgreSQL type cannot be read as the requested Swift type.
        case columnTypeMismatch
        /// A column is NULL where a value was required.
        case unexpectedNull
        /// A column held bytes that do not decode (truncated binary value, JSON that does not match).
        case invalidValue
        /// No pooled connection became free within the lease timeout.
        case poolTimeout
        /// The pool was closed.
        case poolClosed
    }

    public var code: Code
    /// One sentence for an operator: what failed and what to check.
    public var message: String
    /// The five-character SQLSTATE for server errors (`23505` unique violation, `22023`, …).
    public var sqlState: String?
    /// PostgreSQL's DETAIL field, when the server sent one.
    public var detail: String?
    /// PostgreSQL's HINT field, when the server sent one.
    public var hint: String?
    /// The constraint a server error names (`PG_DIAG_CONSTRAINT_NAME`), when there is one.
    public var constraint: String?
    public var underlying: (any Error)?
    public var file: String
    public var line: Int

    public init(
        _ code: Code,
        _ message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// True when the connection that produced this error must not be used again.
    public var isConnectionError: Bool {
        switch self.code {
        case .connectionFailed, .connectionLost:
            return true
        case .server:
            // Class 08 is connection exceptions; 57P01-57P03 are the server shutting down or starting.
            guard let sqlState = self.sqlState else { return false }
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        default:
            return false
        }
    }

    public var description: String {
        var text = self.message
        if let sqlState = self.sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail = self.detail { text += "; detail: \(detail)" }
        if let hint = self.hint { text += "; hint: \(hint)" }
        return text
    }
}
