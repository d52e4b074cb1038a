// Attest — certificates and documents you can verify. Apache-2.0.

/// Failures of the job queue that are not PostgreSQL's own (those stay `PGError`).
public struct QueueError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// A job's fields are out of range (empty kind, max attempts below 1, payload too large, …).
        case invalidJob
        /// No job has that id.
        case jobNotFound
        /// The job is in a state the operation does not apply to.
        case wrongState
        /// A worker setting is out of range.
        case invalidConfiguration
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
