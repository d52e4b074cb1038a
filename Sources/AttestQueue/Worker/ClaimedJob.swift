// Attest — certificates and documents you can verify. Apache-2.0.

/// A job a worker claimed: what its handler gets to see.
public struct ClaimedJob: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var queue: String
    /// The payload as JSON text.
    public var payload: String
    /// This attempt's number, from 1.
    public var attempt: Int
    public var maxAttempts: Int

    public init(id: Int64, kind: String, queue: String, payload: String, attempt: Int, maxAttempts: Int) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.payload = payload
        self.attempt = attempt
        self.maxAttempts = maxAttempts
    }
}
