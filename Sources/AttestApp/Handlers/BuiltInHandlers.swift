// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestQueue

/// `attest.noop`: does nothing. For measuring the queue itself (`attest bench queue`).
struct NoopHandler: JobHandler {
    static let kind = "attest.noop"

    func run(_ context: JobContext) async throws {}
}

/// `attest.probe`: records its execution in `attest.probe_runs`, optionally after sleeping, so operators
/// (and the test suite) can check end to end that workers run every job exactly once.
struct ProbeHandler: JobHandler {
    static let kind = "attest.probe"

    /// `{"sleep_ms": 250}`: how long the probe takes before it records itself. Defaults to 0.
    struct Payload: Decodable {
        var sleep_ms: Int?
    }

    let pool: PGPool
    let workerID: String

    func run(_ context: JobContext) async throws {
        let payload = try context.decodePayload(as: Payload.self)
        if let sleep = payload.sleep_ms, sleep > 0 {
            try await Task.sleep(for: .milliseconds(min(sleep, 600_000)))
        }
        try context.checkCancellation()
        try await self.pool.query(
            "INSERT INTO attest.probe_runs (job_id, attempt, worker_id) VALUES ($1, $2, $3)",
            [context.job.id, context.job.attempt, self.workerID]
        )
    }
}
