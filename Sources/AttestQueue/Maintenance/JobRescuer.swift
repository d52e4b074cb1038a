// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Logging
public import ServiceLifecycle

/// Returns running jobs whose lease expired (their worker died or hung) to the queue, or discards them
/// when they have no attempts left; the lost attempt is recorded in the job's errors.
public struct JobRescuer: Service {
    /// How often the rescuer looks.
    public struct Configuration: Sendable {
        /// Defaults to 5 seconds.
        public var interval: Duration = .seconds(5)

        public init() {}
    }

    private let configuration: Configuration
    private let pool: PGPool
    private let logger: Logger

    public init(configuration: Configuration, pool: PGPool, logger: Logger) {
        self.configuration = configuration
        self.pool = pool
        self.logger = logger
    }

    public func run() async throws {
        await runEvery(self.configuration.interval, logger: self.logger) {
            let rescued = try await self.rescue()
            if rescued > 0 {
                self.logger.info("Rescued jobs whose lease expired", metadata: ["jobs.count": "\(rescued)"])
            }
        }
    }

    /// One pass: rescues up to 1,000 expired jobs and wakes the workers. Returns how many it rescued.
    @discardableResult
    public func rescue() async throws -> Int {
        let rows = try await self.pool.query(
            """
            WITH expired AS (
                SELECT id FROM attest.jobs
                WHERE state = 'running' AND leased_until < now()
                ORDER BY leased_until LIMIT 1000
                FOR UPDATE SKIP LOCKED
            ),
            rescued AS (
                UPDATE attest.jobs j
                SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'retryable' END::attest.job_state,
                    run_at = now(), leased_until = NULL, worker_id = NULL,
                    finished_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
                    errors = j.errors || jsonb_build_array(jsonb_build_object(
                        'attempt', j.attempt, 'at', now(), 'kind', 'lease_expired',
                        'message', 'worker ' || coalesce(j.worker_id, '?')
                            || ' stopped renewing its lease (it crashed, hung or lost the database)'))
                FROM expired WHERE j.id = expired.id
                RETURNING j.id
            ),
            notified AS (SELECT pg_notify($1, '') WHERE EXISTS (SELECT 1 FROM rescued))
            SELECT (SELECT count(*) FROM rescued) AS rescued, (SELECT count(*) FROM notified) AS sent
            """,
            [JobQueue.notificationChannel]
        )
        return try rows[0].decode("rescued")
    }
}

/// Runs `body` every `interval` until the task is cancelled or graceful shutdown begins; failures are
/// logged and the next round tries again.
func runEvery(_ interval: Duration, logger: Logger, _ body: @escaping @Sendable () async throws -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await body()
            } catch is CancellationError {
                return
            } catch {
                logger.debug("Queue maintenance failed; trying again next round", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
