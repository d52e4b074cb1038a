// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestCore
public import AttestPQ
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Claims jobs from PostgreSQL in batches and runs their handlers, up to a concurrency limit.
///
/// Wakes on `NOTIFY attest_jobs` and also polls on a slow timer, so a lost notification only delays work.
/// Outcomes are written back in one statement per round, fenced on worker id and attempt. Leases are
/// renewed by a heartbeat while handlers run. On graceful shutdown it stops claiming, lets running jobs
/// finish within `shutdownTimeout`, then cancels them and hands their jobs back to the queue at once.
public final class JobWorker: Service {
    /// How the worker claims and runs jobs.
    public struct Configuration: Sendable {
        /// Queues to take jobs from. Defaults to `["default"]`.
        public var queues: [String] = ["default"]
        /// Only these kinds, when set. Defaults to every kind.
        public var kinds: [String]?
        /// Jobs running at once. Defaults to 10.
        public var concurrency: Int = 10
        /// How long a claim is valid without a heartbeat. Defaults to 30 seconds.
        public var leaseDuration: Duration = .seconds(30)
        /// How often leases of running jobs are renewed; at most a third of the lease. Defaults to 10 seconds.
        public var heartbeatInterval: Duration = .seconds(10)
        /// How often to look for work when no notification comes. Defaults to 2 seconds.
        public var pollInterval: Duration = .seconds(2)
        /// How long running jobs may take to finish after shutdown begins. Defaults to 30 seconds.
        public var shutdownTimeout: Duration = .seconds(30)
        /// The retry schedule of failed attempts. Defaults to 1 s doubling up to 1 hour, ±20 % jitter.
        public var backoff = Backoff()
        /// Exit once no job is runnable or running. Defaults to false.
        public var drain = false
        /// Identifies this worker on the jobs it claims. Defaults to host, process id and a random suffix.
        public var workerID: String = JobWorker.defaultWorkerID()

        public init() {}

        /// Rejects settings that cannot work, at startup rather than at the first job.
        public func validate() throws {
            guard (1...1000).contains(self.concurrency) else {
                throw QueueError(.invalidConfiguration, "concurrency must be between 1 and 1000 (got \(self.concurrency))")
            }
            guard !self.queues.isEmpty else {
                throw QueueError(.invalidConfiguration, "a worker needs at least one queue")
            }
            guard self.leaseDuration >= .seconds(1) else {
                throw QueueError(.invalidConfiguration, "the lease must be at least 1 second")
            }
            guard self.heartbeatInterval > .zero, self.heartbeatInterval * 3 <= self.leaseDuration else {
                throw QueueError(
                    .invalidConfiguration,
                    "the heartbeat interval (\(self.heartbeatInterval)) must be at most a third of the lease (\(self.leaseDuration))"
                )
            }
        }
    }

    /// The most jobs one claim statement takes.
    static let claimBatchLimit = 100

    /// The longest a finished job's outcome waits for others to share its statement.
    static let outcomeGatheringWindow: Duration = .milliseconds(6)

    public let configuration: Configuration
    private let pool: PGPool
    private let connectionString: String
    private let handlers: [String: any JobHandler]
    private let logger: Logger
    private let state = Mutex(WorkerState())

    /// Jobs this worker holds the lease of, and outcomes waiting to be written.
    private struct WorkerState {
        /// Keyed by attempt, not job: a job whose lease was lost can be claimed again by this same worker and run
        /// beside its old attempt, and finishing the old one must not drop the new one's heartbeat.
        var leased: [ClaimedJob.Attempt: (job: ClaimedJob, signals: JobSignals)] = [:]
        var finished: [(job: ClaimedJob, outcome: JobOutcome)] = []
        var stopping = false
    }

    public init(
        configuration: Configuration,
        pool: PGPool,
        connectionString: String,
        handlers: [String: any JobHandler],
        logger: Logger
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.pool = pool
        self.connectionString = connectionString
        self.handlers = handlers
        var logger = logger
        logger[metadataKey: "worker.id"] = "\(configuration.workerID)"
        self.logger = logger
    }

    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(host)-\(getpid())-\(suffix)"
    }

    // MARK: - Running

    public func run() async {
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.listen(wake: wake) }
                group.addTask { await self.tick(wake: wake) }
                group.addTask { await self.heartbeat() }
                await self.claimLoop(group: &group, wakeups: wakeups, wake: wake)
                await self.finishRunningJobs(wakeups: wakeups)
                group.cancelAll()
            }
            // Outcomes of jobs that ended during shutdown, interrupted ones included. Written from a task of its own,
            // which the caller's cancellation does not reach: in a cancelled task every query and every retry delay
            // would fail at once, so the outcomes were never written and the loop spun until the lease ran out.
            await Task { await self.flushUntilWritten() }.value
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            wake.yield()
        }
        self.logger.debug("Worker stopped")
    }

    private func claimLoop(
        group: inout DiscardingTaskGroup,
        wakeups: AsyncStream<Void>,
        wake: AsyncStream<Void>.Continuation
    ) async {
        var iterator = wakeups.makeAsyncIterator()
        var outage = DatabaseOutage(logger: self.logger)
        while !self.state.withLock({ $0.stopping }) && !Task.isCancelled {
            do {
                let free = self.configuration.concurrency - self.state.withLock { $0.leased.count - $0.finished.count }
                let requested = min(free, Self.claimBatchLimit)
                let claimed = try await self.exchange(claiming: requested)
                for job in claimed { self.start(job, in: &group, wake: wake) }
                outage.ended()
                if self.configuration.drain, claimed.isEmpty, self.state.withLock({ $0.leased.isEmpty }),
                    try await !self.hasWorkLeft()
                {
                    self.logger.debug("Queue drained")
                    return
                }
                if requested > 0, claimed.count == requested { continue }
                _ = await iterator.next()
                await self.gatherOutcomes()
            } catch {
                if Task.isCancelled { return }
                outage.failed(error)
                try? await Task.sleep(for: outage.retryDelay)
            }
        }
    }

    /// Lets outcomes gather before they are written, while other jobs still run and most slots are still busy,
    /// for `outcomeGatheringWindow`: several outcomes then share one statement and one commit. A job that runs
    /// alone is written at once, and a worker with half its slots free claims at once. One sleep, not a poll:
    /// every timer wake-up wakes two threads, and each could preempt a render.
    private func gatherOutcomes() async {
        let running = self.state.withLock { $0.leased.count - $0.finished.count }
        guard running > 0, running * 2 > self.configuration.concurrency else { return }
        try? await Task.sleep(for: Self.outcomeGatheringWindow)
    }

    /// After claiming stops: wait for running handlers, up to the shutdown timeout.
    private func finishRunningJobs(wakeups: AsyncStream<Void>) async {
        let deadline = ContinuousClock.now + self.configuration.shutdownTimeout
        var iterator = wakeups.makeAsyncIterator()
        while self.state.withLock({ $0.leased.count > $0.finished.count }) && !Task.isCancelled {
            _ = try? await self.exchange(claiming: 0)
            if ContinuousClock.now >= deadline {
                self.logger.warning(
                    "Jobs still running at the shutdown timeout were cancelled and returned to the queue",
                    metadata: ["worker.shutdown_timeout": "\(self.configuration.shutdownTimeout)"]
                )
                return
            }
            // The ticker wakes this loop at least every poll interval to check the deadline.
            _ = await iterator.next()
        }
    }

    /// Writes every pending outcome, retrying while the database is unreachable (bounded by the lease:
    /// after it the rescuer hands the jobs out again anyway).
    private func flushUntilWritten() async {
        let deadline = ContinuousClock.now + self.configuration.leaseDuration
        var outage = DatabaseOutage(logger: self.logger)
        while self.state.withLock({ !$0.finished.isEmpty }) && ContinuousClock.now < deadline {
            do {
                _ = try await self.exchange(claiming: 0)
            } catch {
                outage.failed(error)
                try? await Task.sleep(for: outage.retryDelay)
            }
        }
    }

    private func start(_ job: ClaimedJob, in group: inout DiscardingTaskGroup, wake: AsyncStream<Void>.Continuation) {
        let signals = JobSignals()
        self.state.withLock { $0.leased[job.attemptKey] = (job, signals) }
        group.addTask {
            let outcome = await self.execute(job, signals: signals)
            self.state.withLock { $0.finished.append((job, outcome)) }
            wake.yield()
        }
    }

    private func execute(_ job: ClaimedJob, signals: JobSignals) async -> JobOutcome {
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.kind"] = "\(job.kind)"
        logger[metadataKey: "job.attempt"] = "\(job.attempt)"
        guard let handler = self.handlers[job.kind] else {
            let known = self.handlers.keys.sorted().joined(separator: ", ")
            return .failed(
                JobFailure(
                    kind: "unknown_kind",
                    message: "no handler for job kind \"\(job.kind)\" in this worker (it runs: \(known))",
                    isPermanent: true
                )
            )
        }
        let context = JobContext(job: job, logger: logger, signals: signals)
        do {
            try await handler.run(context)
            return .succeeded
        } catch let error as JobError {
            switch error.intent {
            case .permanent:
                return .failed(JobFailure(kind: error.kind, message: error.message, isPermanent: true))
            case .snooze(let delay):
                return .snoozed(delay)
            case .cancel:
                return .cancelled(reason: error.message)
            }
        } catch {
            if Task.isCancelled || signals.state == .leaseLost { return .interrupted }
            logger.debug("Job attempt failed", metadata: ["error": "\(error)"])
            let message = String(String(describing: error).prefix(2000))
            return .failed(JobFailure(kind: "handler_error", message: message, isPermanent: false))
        }
    }

    // MARK: - Background loops

    private func listen(wake: AsyncStream<Void>.Continuation) async {
        var outage = DatabaseOutage(logger: self.logger)
        while !Task.isCancelled {
            let listener: PGListener
            do {
                listener = try await PGListener(
                    connectionString: self.connectionString,
                    channels: [JobQueue.notificationChannel],
                    logger: self.logger
                )
            } catch {
                outage.failed(error)
                try? await Task.sleep(for: outage.retryDelay)
                continue
            }
            outage.ended()
            // A new listener may have missed notifications: look for work once.
            wake.yield()
            do {
                while !Task.isCancelled {
                    if try await listener.next(timeout: .seconds(60)) != nil { wake.yield() }
                }
            } catch is CancellationError {
            } catch {
                outage.failed(error)
            }
            try? await listener.close()
        }
    }

    private func tick(wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: self.configuration.pollInterval)
            wake.yield()
        }
    }

    /// Renews the leases of running jobs, and tells handlers about cancellation requests and lost leases.
    private func heartbeat() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: self.configuration.heartbeatInterval)
            let running = self.state.withLock { state in
                state.leased.filter { entry in !state.finished.contains { $0.job.attemptKey == entry.key } }
            }
            guard !running.isEmpty else { continue }
            do {
                let attempts = Array(running.keys)
                // Fenced by attempt: a row that another claim (even this worker's) took over is not renewed.
                let rows = try await self.pool.query(
                    """
                    UPDATE attest.jobs j SET leased_until = now() + $3 * interval '1 millisecond'
                    FROM unnest($1::bigint[], $4::int[]) AS a(id, attempt)
                    WHERE j.id = a.id AND j.attempt = a.attempt AND j.worker_id = $2 AND j.state = 'running'
                    RETURNING j.id, j.attempt, j.cancel_requested
                    """,
                    [
                        PGArray(attempts.map(\.id)), self.configuration.workerID,
                        self.configuration.leaseDuration.milliseconds, PGArray(attempts.map { Int32($0.number) }),
                    ]
                )
                var renewed = Set<ClaimedJob.Attempt>()
                for row in rows {
                    let attempt = ClaimedJob.Attempt(id: try row.decode("id"), number: try row.decode("attempt"))
                    renewed.insert(attempt)
                    if try row.decode("cancel_requested", as: Bool.self) {
                        running[attempt]?.signals.set(.cancelRequested)
                    }
                }
                for (attempt, entry) in running where !renewed.contains(attempt) {
                    self.logger.warning(
                        "Lost the lease of a running job",
                        metadata: ["job.id": "\(attempt.id)", "job.attempt": "\(attempt.number)"]
                    )
                    entry.signals.set(.leaseLost)
                }
            } catch {
                self.logger.debug("Heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - Statements

    /// Writes every finished attempt's transition and claims up to `limit` jobs, in one statement: one round
    /// trip and one commit per round, however many jobs it covers.
    ///
    /// The claim reads `jobs_runnable` one queue at a time with `queue = wanted.queue`, so each read walks the
    /// index in claim order and stops after `limit` rows. (`queue = ANY($8)` would make PostgreSQL fetch and sort
    /// every runnable row of those queues on each claim: 6 ms with 20,000 waiting jobs instead of 0.1 ms.)
    private func exchange(claiming limit: Int) async throws -> [ClaimedJob] {
        let finished = self.state.withLock { $0.finished }
        guard limit > 0 || !finished.isEmpty else { return [] }
        var random = SystemRandomNumberGenerator()
        var transitions = TransitionBatch()
        for (job, outcome) in finished {
            let transition = JobLifecycle.transition(
                for: outcome,
                attempt: job.attempt,
                maxAttempts: job.maxAttempts,
                backoff: self.configuration.backoff,
                using: &random
            )
            transitions.append(job, transition)
        }
        let rows = try await self.pool.query(
            """
            WITH finished AS (\(TransitionBatch.update)),
            next AS (
                SELECT candidate.id FROM unnest($8::text[]) AS wanted(queue)
                CROSS JOIN LATERAL (
                    SELECT id, priority, run_at FROM attest.jobs
                    WHERE queue = wanted.queue AND state IN ('available', 'retryable') AND run_at <= now()
                      AND ($11::text[] IS NULL OR kind = ANY($11))
                    ORDER BY priority, run_at, id
                    LIMIT $9
                    FOR UPDATE SKIP LOCKED
                ) candidate
                ORDER BY candidate.priority, candidate.run_at, candidate.id
                LIMIT $9
            )
            UPDATE attest.jobs j
            SET state = 'running', attempt = j.attempt + 1, worker_id = $7, attempted_at = now(),
                leased_until = now() + $10 * interval '1 millisecond'
            FROM next WHERE j.id = next.id
            RETURNING j.id, j.kind, j.queue, j.payload::text AS payload, j.attempt, j.max_attempts
            """,
            transitions.parameters(workerID: self.configuration.workerID) + [
                PGArray(self.configuration.queues), limit, self.configuration.leaseDuration.milliseconds,
                self.configuration.kinds.map { PGArray($0) },
            ]
        )
        self.state.withLock { state in
            state.finished.removeFirst(finished.count)
            for (job, _) in finished { state.leased[job.attemptKey] = nil }
        }
        return try rows.map { row in
            ClaimedJob(
                id: try row.decode("id"),
                kind: try row.decode("kind"),
                queue: try row.decode("queue"),
                payload: try row.decode("payload"),
                attempt: try row.decode("attempt"),
                maxAttempts: try row.decode("max_attempts")
            )
        }
    }

    private func hasWorkLeft() async throws -> Bool {
        let rows = try await self.pool.query(
            """
            SELECT EXISTS (
                SELECT 1 FROM attest.jobs
                WHERE (($1::text[] IS NULL OR kind = ANY($1)) AND queue = ANY($2))
                  AND (state = 'running' OR (state IN ('available', 'retryable') AND run_at <= now()))
            ) AS busy
            """,
            [self.configuration.kinds.map { PGArray($0) }, PGArray(self.configuration.queues)]
        )
        return try rows[0].decode("busy")
    }
}

extension Duration {
    /// Whole milliseconds, for `interval '1 millisecond'` arithmetic in SQL.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
