// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestCore
public import AttestPQ
public import Foundation

/// What operators do to the queue by hand: look at it, cancel a job, retry one.
public struct JobAdministration: Sendable {
    /// Jobs of one kind in one state.
    public struct Count: Sendable, Codable, Equatable {
        public var kind: String
        public var state: JobState
        public var count: Int
    }

    /// The queue at a glance.
    public struct Stats: Sendable, Codable {
        public var counts: [Count]
        /// Seconds the oldest runnable job has waited, or nil when none waits.
        public var oldestAvailableAgeSeconds: Double?
    }

    /// One job as operators see it.
    public struct JobSummary: Sendable, Codable {
        public var id: Int64
        public var kind: String
        public var queue: String
        public var state: JobState
        public var priority: Int
        public var attempt: Int
        public var maxAttempts: Int
        public var runAt: Date
        public var createdAt: Date
        public var finishedAt: Date?
        public var workerID: String?
        public var uniqueKey: String?
        public var payload: String
        /// The last attempt's error message, if any.
        public var lastError: String?
        public var errors: [StoredJobError]
    }

    /// One failed attempt as kept on the job.
    public struct StoredJobError: Sendable, Codable {
        public var attempt: Int
        public var at: String
        public var kind: String
        public var message: String
    }

    /// What `cancel` did.
    public enum CancelResult: Sendable, Equatable {
        /// The job was waiting and is now cancelled.
        case cancelled
        /// The job is running; its handler stops the next time it checks.
        case requested
    }

    private let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    public func stats() async throws -> Stats {
        let rows = try await self.pool.query(
            "SELECT kind, state::text AS state, count(*)::bigint AS count FROM attest.jobs GROUP BY kind, state ORDER BY kind, state"
        )
        let counts = try rows.map { row in
            Count(
                kind: try row.decode("kind"),
                state: JobState(rawValue: try row.decode("state")) ?? .available,
                count: try row.decode("count")
            )
        }
        let oldest = try await self.pool.query(
            """
            SELECT extract(epoch FROM now() - min(run_at))::double precision AS age FROM attest.jobs
            WHERE state IN ('available', 'retryable') AND run_at <= now()
            """
        )
        return Stats(counts: counts, oldestAvailableAgeSeconds: try oldest[0].decode("age", as: Double?.self))
    }

    /// Jobs, newest first, optionally of one state and kind.
    public func list(state: JobState?, kind: String?, limit: Int) async throws -> [JobSummary] {
        let rows = try await self.pool.query(
            """
            SELECT id, kind, queue, state::text AS state, priority::integer AS priority, attempt, max_attempts,
                   run_at, created_at, finished_at, worker_id, unique_key, payload::text AS payload, errors::text AS errors
            FROM attest.jobs
            WHERE ($1::text IS NULL OR state = $1::attest.job_state) AND ($2::text IS NULL OR kind = $2)
            ORDER BY id DESC LIMIT $3
            """,
            [state?.rawValue, kind, limit]
        )
        return try rows.map { row in
            let errors = try JSONDecoder().decode([StoredJobError].self, from: Data((try row.decode("errors") as String).utf8))
            return JobSummary(
                id: try row.decode("id"),
                kind: try row.decode("kind"),
                queue: try row.decode("queue"),
                state: JobState(rawValue: try row.decode("state")) ?? .available,
                priority: try row.decode("priority"),
                attempt: try row.decode("attempt"),
                maxAttempts: try row.decode("max_attempts"),
                runAt: try row.decode("run_at"),
                createdAt: try row.decode("created_at"),
                finishedAt: try row.decode("finished_at"),
                workerID: try row.decode("worker_id"),
                uniqueKey: try row.decode("unique_key"),
                payload: try row.decode("payload"),
                lastError: errors.last?.message,
                errors: errors
            )
        }
    }

    /// Cancels a waiting job at once; asks a running one to stop when its handler next checks.
    public func cancel(id: Int64) async throws -> CancelResult {
        let rows = try await self.pool.query(
            """
            WITH target AS (SELECT id, state FROM attest.jobs WHERE id = $1 FOR UPDATE),
            cancelled AS (
                UPDATE attest.jobs j SET state = 'cancelled', finished_at = now(), run_at = now()
                FROM target WHERE j.id = target.id AND target.state IN ('available', 'retryable')
                RETURNING j.id
            ),
            requested AS (
                UPDATE attest.jobs j SET cancel_requested = true
                FROM target WHERE j.id = target.id AND target.state = 'running'
                RETURNING j.id
            )
            SELECT (SELECT state::text FROM target) AS state,
                   EXISTS (SELECT 1 FROM cancelled) AS cancelled, EXISTS (SELECT 1 FROM requested) AS requested
            """,
            [id]
        )
        guard let state = try rows[0].decode("state", as: String?.self) else {
            throw QueueError(.jobNotFound, "no job has id \(id)")
        }
        if try rows[0].decode("cancelled", as: Bool.self) { return .cancelled }
        if try rows[0].decode("requested", as: Bool.self) { return .requested }
        throw QueueError(.wrongState, "job \(id) is \(state); only available, retryable or running jobs can be cancelled")
    }

    /// Makes a discarded or cancelled job runnable again now, with at least one more attempt.
    public func retry(id: Int64) async throws {
        let rows: PGRows
        do {
            rows = try await self.pool.query(
                """
                WITH target AS (SELECT id, state FROM attest.jobs WHERE id = $1 FOR UPDATE),
                retried AS (
                    UPDATE attest.jobs j
                    SET state = 'available', run_at = now(), finished_at = NULL, cancel_requested = false,
                        max_attempts = greatest(j.max_attempts, j.attempt + 1), worker_id = NULL
                    FROM target WHERE j.id = target.id AND target.state IN ('discarded', 'cancelled')
                    RETURNING j.id
                ),
                notified AS (SELECT pg_notify($2, '') WHERE EXISTS (SELECT 1 FROM retried))
                SELECT (SELECT state::text FROM target) AS state, EXISTS (SELECT 1 FROM retried) AS retried,
                       (SELECT count(*) FROM notified) AS sent
                """,
                [id, JobQueue.notificationChannel]
            )
        } catch let error as PGError where error.sqlState == "23505" {
            throw QueueError(.wrongState, "job \(id) cannot run again: another job with its unique key is waiting or running")
        }
        guard let state = try rows[0].decode("state", as: String?.self) else {
            throw QueueError(.jobNotFound, "no job has id \(id)")
        }
        guard try rows[0].decode("retried", as: Bool.self) else {
            throw QueueError(.wrongState, "job \(id) is \(state); only discarded or cancelled jobs can be retried")
        }
    }
}
