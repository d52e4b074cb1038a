// Attest — certificates and documents you can verify. Apache-2.0.


import Foundation
public import Logging
import Synchronization

/// Runs the jobs of one kind. Throw `JobError` to say what should happen next; any other error is
/// retried with backoff until the job's attempts run out.
public protocol JobHandler: Sendable {
    func run(_ context: JobContext) async throws
}

/// What a handler throws to choose its job's fate explicitly.
public struct JobError: Error, Sendable, CustomStringConvertible {
    /// What the worker does with the job.
    public enum Intent: Sendable, Equatable {
        /// Retrying cannot help: discard the job now.
        case permanent
        /// Run again after the delay without spending an attempt.
        case snooze(Duration)
        /// Stop for good without calling it a failure.
        case cancel
    }

    public var intent: Intent
    /// A short category stored with the error (`invalid_payload`, `unknown_template`, …).
    public var kind: String
    public var message: String

    public static func permanent(_ message: String, kind: String = "handler_error") -> JobError {
        JobError(intent: .permanent, kind: kind, message: message)
    }

    public static func snooze(for delay: Duration) -> JobError {
        JobError(intent: .snooze(delay), kind: "snoozed", message: "snoozed for \(delay)")
    }

    public static func cancel(_ reason: String) -> JobError {
        JobError(intent: .cancel, kind: "cancelled", message: reason)
    }

    public var description: String { self.message }
}

/// What a handler gets: the job, a logger carrying the job's metadata, and its cancellation state.
public struct JobContext: Sendable {
    public let job: ClaimedJob
    public let logger: Logger
    let signals: JobSignals

    /// Decodes the payload, or fails the job permanently: a payload that does not decode never will.
    public func decodePayload<T: Decodable>(as type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(self.job.payload.utf8))
        } catch {
            throw JobError.permanent(
                "the payload of this \(self.job.kind) job does not decode: \(PayloadDecodingFailure(error))",
                kind: "invalid_payload"
            )
        }
    }

    /// Throws when an operator cancelled the job, the worker lost its lease, or the worker is shutting down.
    /// Long handlers call it between steps.
    public func checkCancellation() throws {
        switch self.signals.state {
        case .running: break
        case .cancelRequested: throw JobError.cancel("cancelled by an operator while running")
        case .leaseLost: throw CancellationError()
        }
        try Task.checkCancellation()
    }
}

/// The running job's flags, set by the worker's heartbeat and read by the handler.
final class JobSignals: Sendable {
    enum State: Sendable { case running, cancelRequested, leaseLost }
    private let storage = Mutex(State.running)

    var state: State { self.storage.withLock { $0 } }

    func set(_ state: State) {
        self.storage.withLock { $0 = state }
    }
}

/// A `DecodingError` told in one line: which field, what was wrong.
struct PayloadDecodingFailure: CustomStringConvertible {
    let error: any Error

    init(_ error: any Error) {
        self.error = error
    }

    var description: String {
        guard let decoding = self.error as? DecodingError else { return "\(self.error)" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map(\.stringValue).joined(separator: ".")
            return text.isEmpty ? "the document" : "\"\(text)\""
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "field \"\(key.stringValue)\" is missing\(parent)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type (\(context.debugDescription))"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(decoding)"
        }
    }
}
