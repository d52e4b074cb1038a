// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// A job to enqueue: its kind, a small JSON payload (references, never file bytes) and scheduling options.
public struct NewJob: Sendable {
    /// The largest payload accepted, in bytes of JSON.
    public static let maximumPayloadBytes = 32 * 1024

    public var kind: String
    /// The payload as JSON text.
    public var payload: String
    /// Defaults to `default`.
    public var queue: String
    /// Lower runs first. Defaults to 0.
    public var priority: Int16
    /// Not before this time. Defaults to now.
    public var runAt: Date?
    /// Defaults to 10.
    public var maxAttempts: Int32
    /// While a job with this key is not finished, enqueueing another with the same key does nothing.
    public var uniqueKey: String?

    public init(
        kind: String,
        payload: String = "{}",
        queue: String = "default",
        priority: Int16 = 0,
        runAt: Date? = nil,
        maxAttempts: Int32 = 10,
        uniqueKey: String? = nil
    ) {
        self.kind = kind
        self.payload = payload
        self.queue = queue
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }

    /// A job whose payload is `payload` encoded as JSON.
    public init(
        kind: String,
        encoding payload: some Encodable,
        queue: String = "default",
        priority: Int16 = 0,
        runAt: Date? = nil,
        maxAttempts: Int32 = 10,
        uniqueKey: String? = nil
    ) throws {
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        self.init(
            kind: kind, payload: json, queue: queue, priority: priority, runAt: runAt, maxAttempts: maxAttempts,
            uniqueKey: uniqueKey
        )
    }

    /// Checks the fields before they reach the database.
    func validate() throws {
        guard (1...100).contains(self.kind.count) else {
            throw QueueError(.invalidJob, "a job kind must have 1 to 100 characters")
        }
        guard (1...100).contains(self.queue.count) else {
            throw QueueError(.invalidJob, "a queue name must have 1 to 100 characters")
        }
        guard self.maxAttempts >= 1 else {
            throw QueueError(.invalidJob, "max attempts must be at least 1 (job kind \(self.kind))")
        }
        guard self.payload.utf8.count <= Self.maximumPayloadBytes else {
            throw QueueError(
                .invalidJob,
                "the payload of a \(self.kind) job has \(self.payload.utf8.count) bytes; the limit is "
                    + "\(Self.maximumPayloadBytes): store data elsewhere and enqueue a reference"
            )
        }
    }
}
