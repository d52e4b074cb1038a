// Attest — certificates and documents you can verify. Apache-2.0.

/// How one attempt of a job ended, as the worker saw it.
public enum JobOutcome: Sendable, Equatable {
    case succeeded
    /// The handler failed; `permanent` failures are not retried.
    case failed(JobFailure)
    /// Run again after the delay without spending an attempt.
    case snoozed(Duration)
    /// The job was cancelled (by an operator or by the handler) while it ran.
    case cancelled(reason: String)
    /// The worker shut down before the handler finished; the attempt does not count.
    case interrupted
}

/// A failed attempt's error, kept on the job (`errors` column) for operators.
public struct JobFailure: Sendable, Equatable, Codable {
    /// A short machine-readable category: `handler_error`, `unknown_kind`, `invalid_payload`, `lease_expired`, …
    public var kind: String
    /// What went wrong, for a person.
    public var message: String
    /// When true, retrying cannot help: the job is discarded at once.
    public var isPermanent: Bool

    public init(kind: String, message: String, isPermanent: Bool) {
        self.kind = kind
        self.message = message
        self.isPermanent = isPermanent
    }
}
