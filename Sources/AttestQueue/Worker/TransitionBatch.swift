// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestPQ
import Foundation

/// Finished attempts turned into the columns of one fenced `UPDATE … FROM unnest(…)`.
struct TransitionBatch {
    /// The update, with parameters `$1`…`$7`; the worker runs it as a CTE in front of its claim.
    static let update = """
        UPDATE attest.jobs j
        SET state = t.state::attest.job_state,
            run_at = CASE WHEN t.state IN ('retryable', 'available') THEN now() + t.delay_ms * interval '1 millisecond'
                          ELSE j.run_at END,
            attempt = j.attempt - t.give_back,
            errors = CASE WHEN jsonb_typeof(t.error) = 'null' THEN j.errors ELSE j.errors || jsonb_build_array(t.error) END,
            leased_until = NULL,
            worker_id = CASE WHEN t.state = 'available' THEN NULL ELSE j.worker_id END,
            finished_at = CASE WHEN t.state IN ('succeeded', 'discarded', 'cancelled') THEN now() END
        FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::jsonb[], $6::integer[])
            AS t(id, attempt, state, delay_ms, error, give_back)
        WHERE j.id = t.id AND j.attempt = t.attempt AND j.worker_id = $7 AND j.state = 'running'
        """

    /// One element of the `errors` array.
    private struct StoredError: Encodable {
        var attempt: Int
        var at: String
        var kind: String
        var message: String
    }

    private var ids: [Int64] = []
    private var attempts: [Int32] = []
    private var states: [String] = []
    private var delays: [Int64] = []
    private var errors: [PGJSON] = []
    private var giveBacks: [Int32] = []

    mutating func append(_ job: ClaimedJob, _ transition: JobLifecycle.Transition) {
        var state: JobState
        var delay: Duration = .zero
        var failure: JobFailure?
        var giveBack: Int32 = 0
        switch transition {
        case .succeed:
            state = .succeeded
        case .retry(let after, let error):
            (state, delay, failure) = (.retryable, after, error)
        case .discard(let error):
            (state, failure) = (.discarded, error)
        case .snooze(let after):
            (state, delay, giveBack) = (.available, after, 1)
        case .cancel(let reason):
            (state, failure) = (.cancelled, JobFailure(kind: "cancelled", message: reason, isPermanent: true))
        case .release:
            (state, giveBack) = (.available, 1)
        }
        self.ids.append(job.id)
        self.attempts.append(Int32(job.attempt))
        self.states.append(state.rawValue)
        self.delays.append(delay.milliseconds)
        self.giveBacks.append(giveBack)
        if let failure {
            let stored = StoredError(
                attempt: job.attempt,
                at: Date().formatted(.iso8601),
                kind: failure.kind,
                message: failure.message
            )
            self.errors.append((try? PGJSON(encoding: stored)) ?? PGJSON(text: "null"))
        } else {
            self.errors.append(PGJSON(text: "null"))
        }
    }

    func parameters(workerID: String) -> [any PGEncodable] {
        [
            PGArray(self.ids), PGArray(self.attempts), PGArray(self.states), PGArray(self.delays),
            PGArray(self.errors), PGArray(self.giveBacks), workerID,
        ]
    }
}
