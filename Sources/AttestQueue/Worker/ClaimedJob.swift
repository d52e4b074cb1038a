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

extension ClaimedJob {
    /// One attempt of one job: what a worker tracks, renews and finishes, since the same job can be claimed again
    /// (after a lost lease) while an older attempt of it still runs.
    public struct Attempt: Hashable, Sendable {
        public var id: Int64
        public var number: Int

        public init(id: Int64, number: Int) {
            self.id = id
            self.number = number
        }
    }

    /// This claim's attempt.
    public var attemptKey: Attempt { Attempt(id: self.id, number: self.attempt) }
}
