// Attest — certificates and documents you can verify. Apache-2.0.

/// Where a job is in its life; the values of the `attest.job_state` enum in PostgreSQL.
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// Waiting for `run_at`, then claimable.
    case available
    /// Claimed by a worker that holds its lease.
    case running
    case succeeded
    /// Failed an attempt; claimable again once its backoff has passed.
    case retryable
    /// Failed for good: `max_attempts` reached, or a permanent error.
    case discarded
    case cancelled

    /// Finished jobs never run again on their own and are pruned after the retention period.
    public var isFinished: Bool {
        switch self {
        case .succeeded, .discarded, .cancelled: return true
        case .available, .running, .retryable: return false
        }
    }
}
