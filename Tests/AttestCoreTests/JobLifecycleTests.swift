// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Testing

@Suite("the job lifecycle state machine")
struct JobLifecycleTests {
    private let failure = JobFailure(kind: "handler_error", message: "boom", isPermanent: false)

    private func transition(_ outcome: JobOutcome, attempt: Int, maxAttempts: Int = 3) -> JobLifecycle.Transition {
        var random = SystemRandomNumberGenerator()
        return JobLifecycle.transition(
            for: outcome,
            attempt: attempt,
            maxAttempts: maxAttempts,
            backoff: Backoff(initial: .seconds(1), maximum: .seconds(60), jitter: 0),
            using: &random
        )
    }

    @Test("a failure is retried with the backoff while attempts remain, then discarded")
    func failureRetriesThenDiscards() {
        #expect(self.transition(.failed(self.failure), attempt: 1) == .retry(after: .seconds(1), failure: self.failure))
        #expect(self.transition(.failed(self.failure), attempt: 2) == .retry(after: .seconds(2), failure: self.failure))
        #expect(self.transition(.failed(self.failure), attempt: 3) == .discard(failure: self.failure))
    }

    @Test("a permanent failure is discarded at once")
    func permanentDiscards() {
        let permanent = JobFailure(kind: "invalid_payload", message: "no", isPermanent: true)
        #expect(self.transition(.failed(permanent), attempt: 1) == .discard(failure: permanent))
    }

    @Test("success, snooze, cancel and interruption map to their transitions")
    func otherOutcomes() {
        #expect(self.transition(.succeeded, attempt: 3) == .succeed)
        #expect(self.transition(.snoozed(.seconds(5)), attempt: 3) == .snooze(after: .seconds(5)))
        #expect(self.transition(.cancelled(reason: "operator"), attempt: 1) == .cancel(reason: "operator"))
        #expect(self.transition(.interrupted, attempt: 3) == .release)
    }

    @Test("backoff doubles, is capped, and its jitter stays within bounds")
    func backoffSchedule() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2), jitter: 0.2)
        #expect((1...7).map { backoff.nominalDelay(afterAttempt: $0) } == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2),
        ])
        #expect(backoff.nominalDelay(afterAttempt: 10_000) == .seconds(2))
        var random = SystemRandomNumberGenerator()
        let delays = (0..<500).map { _ in backoff.delay(afterAttempt: 3, using: &random) }
        #expect(delays.allSatisfy { $0 >= .milliseconds(320) && $0 <= .milliseconds(480) })
        #expect(Set(delays).count > 100, "jitter spreads retries")
    }

    @Test("finished states are exactly succeeded, discarded and cancelled")
    func finishedStates() {
        #expect(JobState.allCases.filter(\.isFinished) == [.succeeded, .discarded, .cancelled])
    }
}
