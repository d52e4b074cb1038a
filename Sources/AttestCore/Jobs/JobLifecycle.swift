// Attest — certificates and documents you can verify. Apache-2.0.

/// The job state machine: what an attempt's outcome does to the job. Pure, so it is tested without I/O.
public enum JobLifecycle {
    /// What the queue must write for a finished attempt.
    public enum Transition: Sendable, Equatable {
        case succeed
        /// Back to `retryable`, runnable again after `delay`; the failure is appended to the job's errors.
        case retry(after: Duration, failure: JobFailure)
        /// To `discarded`; the failure is appended to the job's errors.
        case discard(failure: JobFailure)
        /// Back to `available` after `delay`, giving the attempt back.
        case snooze(after: Duration)
        case cancel(reason: String)
        /// Back to `available` at once, giving the attempt back (worker shutdown).
        case release
    }

    /// The transition for `outcome` of attempt number `attempt` (1-based) out of `maxAttempts`.
    public static func transition<R: RandomNumberGenerator>(
        for outcome: JobOutcome,
        attempt: Int,
        maxAttempts: Int,
        backoff: Backoff,
        using random: inout R
    ) -> Transition {
        switch outcome {
        case .succeeded:
            return .succeed
        case .failed(let failure):
            if failure.isPermanent || attempt >= maxAttempts {
                return .discard(failure: failure)
            }
            return .retry(after: backoff.delay(afterAttempt: attempt, using: &random), failure: failure)
        case .snoozed(let delay):
            return .snooze(after: delay)
        case .cancelled(let reason):
            return .cancel(reason: reason)
        case .interrupted:
            return .release
        }
    }
}

/// Exponential backoff with jitter, capped: how long a failed job waits before its next attempt.
public struct Backoff: Sendable, Equatable {
    /// The delay after the first failed attempt. Defaults to 1 second.
    public var initial: Duration
    /// The longest delay. Defaults to 1 hour.
    public var maximum: Duration
    /// Each delay is scaled by a random factor in 1 ± jitter. Defaults to 0.2.
    public var jitter: Double

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(3600), jitter: Double = 0.2) {
        precondition(initial > .zero && maximum >= initial && (0...1).contains(jitter), "invalid backoff")
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// `initial × 2^(attempt−1)`, capped at `maximum`, times a random factor in 1 ± jitter.
    public func delay<R: RandomNumberGenerator>(afterAttempt attempt: Int, using random: inout R) -> Duration {
        let exponent = Double(min(max(attempt - 1, 0), 62))
        let base = min(self.initial * pow2(exponent), self.maximum)
        let factor = self.jitter == 0 ? 1 : Double.random(in: (1 - self.jitter)...(1 + self.jitter), using: &random)
        return base * factor
    }

    /// The delay without jitter, for showing the schedule.
    public func nominalDelay(afterAttempt attempt: Int) -> Duration {
        min(self.initial * pow2(Double(min(max(attempt - 1, 0), 62))), self.maximum)
    }
}

private func pow2(_ exponent: Double) -> Double {
    var value = 1.0
    for _ in 0..<Int(exponent) { value *= 2 }
    return value
}
