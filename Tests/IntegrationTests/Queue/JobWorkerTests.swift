// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestPQ
import AttestQueue
import AttestTestSupport
import Foundation
import InMemoryLogging
import Logging
import Synchronization
import Testing

@Suite("JobWorker in-process against a real PostgreSQL", .requiresDatabase)
struct JobWorkerTests {
    private struct Failure: Error, CustomStringConvertible {
        var description: String { "the handler always fails" }
    }

    private func withPool(_ body: (TestDatabase, PGPool) async throws -> Void) async throws {
        try await TestDatabase.withPool(maximumConnections: 6, body)
    }

    private func job(_ pool: PGPool, _ id: Int64) async throws -> JobAdministration.JobSummary {
        let jobs = try await JobAdministration(pool: pool).list(state: nil, kind: nil, limit: 10_000)
        return try #require(jobs.first { $0.id == id })
    }

    @Test("an always-failing handler follows the backoff schedule, keeps every error, and is discarded after max attempts")
    func retriesWithBackoffThenDiscards() async throws {
        try await self.withPool { database, pool in
            let starts = Mutex<[ContinuousClock.Instant]>([])
            var configuration = QueueTestSupport.fastConfiguration()
            configuration.backoff = .init(initial: .milliseconds(400), maximum: .seconds(10), jitter: 0.1)
            configuration.pollInterval = .milliseconds(50)
            let id = try #require(try await JobQueue(pool: pool).enqueue(NewJob(kind: "fails", maxAttempts: 4)).id)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                configuration: configuration,
                handlers: ["fails": ClosureHandler { _ in
                    starts.withLock { $0.append(.now) }
                    throw Failure()
                }]
            ) {
                try await QueueTestSupport.waitUntil("the job is discarded") {
                    try await self.job(pool, id).state == .discarded
                }
            }
            let job = try await self.job(pool, id)
            #expect(job.attempt == 4)
            #expect(job.errors.map(\.attempt) == [1, 2, 3, 4])
            #expect(job.errors.allSatisfy { $0.message == "the handler always fails" && $0.kind == "handler_error" })
            let times = starts.withLock { $0 }
            #expect(times.count == 4)
            // Gaps follow 400 ms × 2^(n−1) with ±10 % jitter: at least 360, 720, 1440 ms.
            for (index, minimum) in [360, 720, 1440].enumerated() where index + 1 < times.count {
                let gap = times[index + 1] - times[index]
                #expect(gap >= .milliseconds(minimum), "gap \(index + 1) was \(gap)")
                // Generous: a retry runs when it is due or at the next poll, whatever else the machine is doing.
                #expect(gap < .milliseconds(minimum * 3 + 3_000), "gap \(index + 1) was \(gap)")
            }
        }
    }

    @Test("a job the same worker claims again after a lost lease keeps the new attempt's lease when the old one ends")
    func reclaimedAttemptKeepsItsLease() async throws {
        try await self.withPool { database, pool in
            let secondStarted = Mutex(false)
            let firstEnded = Mutex(false)
            let secondMayEnd = Mutex(false)
            let id = try #require(try await JobQueue(pool: pool).enqueue(NewJob(kind: "twice")).id)
            func leaseEnd() async throws -> Double {
                let row = try #require(
                    try await pool.query(
                        "SELECT extract(epoch FROM leased_until)::float8 AS until FROM attest.jobs WHERE id = $1", [id]
                    ).first)
                return try row.decode("until")
            }
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["twice": ClosureHandler { context in
                    if context.job.attempt == 1 {
                        // Runs on past its lost lease until the second attempt has started, then ends.
                        try await QueueTestSupport.waitUntil("the second attempt starts") {
                            secondStarted.withLock { $0 }
                        }
                        firstEnded.withLock { $0 = true }
                    } else {
                        secondStarted.withLock { $0 = true }
                        try await QueueTestSupport.waitUntil("the test lets the second attempt end") {
                            secondMayEnd.withLock { $0 }
                        }
                    }
                }]
            ) {
                try await QueueTestSupport.waitUntil("the first attempt runs") { try await self.job(pool, id).state == .running }
                // What the rescuer does once a lease expired: hand the job out again, here while attempt 1 still runs
                // in this worker, which then claims it a second time.
                try await pool.query(
                    """
                    UPDATE attest.jobs SET state = 'retryable', run_at = now(), worker_id = NULL, leased_until = NULL
                    WHERE id = $1
                    """,
                    [id]
                )
                try await QueueTestSupport.waitUntil("attempt 1 ends beside attempt 2") { firstEnded.withLock { $0 } }
                let afterFirst = try await leaseEnd()
                // The heartbeat renews every second: three renewals after attempt 1 ended prove attempt 2 still
                // has its heartbeat (dropping it would leave at most the one renewal already under way).
                try await QueueTestSupport.waitUntil("attempt 2's lease is renewed three times", timeout: .seconds(30)) {
                    try await leaseEnd() > afterFirst + 2.5
                }
                secondMayEnd.withLock { $0 = true }
                try await QueueTestSupport.waitUntil("the job succeeds") { try await self.job(pool, id).state == .succeeded }
            }
            #expect(try await self.job(pool, id).attempt == 2)
        }
    }

    @Test("a worker whose task is cancelled still writes the outcomes of the jobs that ended meanwhile")
    func cancelledWorkerWritesOutcomes() async throws {
        try await self.withPool { database, pool in
            let started = Mutex(false)
            let id = try #require(try await JobQueue(pool: pool).enqueue(NewJob(kind: "until-cancelled")).id)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["until-cancelled": ClosureHandler { _ in
                    started.withLock { $0 = true }
                    // Ends normally once the worker's task is cancelled, so its outcome is written after that.
                    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
                }]
            ) {
                try await QueueTestSupport.waitUntil("the job runs") { started.withLock { $0 } }
            }
            // withWorker returns once the worker has stopped: the outcome must be written by then.
            let job = try await self.job(pool, id)
            #expect(job.state == .succeeded, "the job is \(job.state) after the worker stopped")
        }
    }

    @Test("a permanent error discards the job at once")
    func permanentErrorDiscards() async throws {
        try await self.withPool { database, pool in
            let id = try #require(try await JobQueue(pool: pool).enqueue(NewJob(kind: "broken", maxAttempts: 5)).id)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["broken": ClosureHandler { _ in throw JobError.permanent("cannot ever work", kind: "unknown_template") }]
            ) {
                try await QueueTestSupport.waitUntil("the job is discarded") { try await self.job(pool, id).state == .discarded }
            }
            let job = try await self.job(pool, id)
            #expect(job.attempt == 1)
            #expect(job.errors.map(\.kind) == ["unknown_template"])
            #expect(job.lastError == "cannot ever work")
        }
    }

    @Test("an unknown kind and an undecodable payload fail with a clear stored error; the worker keeps running")
    func badJobsDoNotStopTheWorker() async throws {
        struct Payload: Decodable { var certificate_id: String }
        try await self.withPool { database, pool in
            let queue = JobQueue(pool: pool)
            let unknown = try #require(try await queue.enqueue(NewJob(kind: "no.such.kind")).id)
            let undecodable = try #require(try await queue.enqueue(NewJob(kind: "typed", payload: #"{"certificate_id": 42}"#)).id)
            let ran = Mutex(0)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["typed": ClosureHandler { context in
                    _ = try context.decodePayload(as: Payload.self)
                    ran.withLock { $0 += 1 }
                }]
            ) {
                try await QueueTestSupport.waitUntil("both bad jobs are discarded") {
                    let states = try await [self.job(pool, unknown).state, self.job(pool, undecodable).state]
                    return states == [.discarded, .discarded]
                }
                // The worker still runs good jobs afterwards.
                let good = try #require(try await queue.enqueue(NewJob(kind: "typed", payload: #"{"certificate_id": "c-1"}"#)).id)
                try await QueueTestSupport.waitUntil("the good job succeeds") { try await self.job(pool, good).state == .succeeded }
            }
            let unknownJob = try await self.job(pool, unknown)
            #expect(unknownJob.errors.first?.kind == "unknown_kind")
            #expect(unknownJob.lastError?.contains("no handler for job kind \"no.such.kind\"") == true)
            let undecodableJob = try await self.job(pool, undecodable)
            #expect(undecodableJob.errors.first?.kind == "invalid_payload")
            #expect(undecodableJob.lastError?.contains("certificate_id") == true)
            #expect(ran.withLock { $0 } == 1)
        }
    }

    @Test("unique_key: a second enqueue while the first job is unfinished is a no-op and says so")
    func uniqueKeyDeduplicates() async throws {
        try await self.withPool { database, pool in
            let queue = JobQueue(pool: pool)
            let first = try await queue.enqueue(NewJob(kind: "render", uniqueKey: "completion-1"))
            let second = try await queue.enqueue(NewJob(kind: "render", uniqueKey: "completion-1"))
            let other = try await queue.enqueue(NewJob(kind: "render", uniqueKey: "completion-2"))
            guard case .inserted(let id) = first else { Issue.record("first enqueue was \(first)"); return }
            #expect(second == .duplicate(existingID: id))
            #expect(other != second)
            let batch = try await queue.enqueue(batch: [
                NewJob(kind: "render", uniqueKey: "completion-1"), NewJob(kind: "render"), NewJob(kind: "render", uniqueKey: "completion-3"),
            ])
            #expect(batch[0] == .duplicate(existingID: id))
            #expect(batch[1].id != nil && batch[2].id != nil)
            #expect(try await QueueTestSupport.counts(pool)["available"] == 4)
            // Once the first job finished, the key is free again.
            try await QueueTestSupport.withWorker(url: database.url, pool: pool, handlers: ["render": ClosureHandler { _ in }]) {
                try await QueueTestSupport.waitUntil("all jobs succeed") { try await QueueTestSupport.counts(pool)["succeeded"] == 4 }
            }
            let again = try await queue.enqueue(NewJob(kind: "render", uniqueKey: "completion-1"))
            guard case .inserted = again else { Issue.record("after finishing, enqueue was \(again)"); return }
        }
    }

    @Test("a job scheduled 2 s ahead does not start early")
    func scheduledJobWaits() async throws {
        try await self.withPool { database, pool in
            let started = Mutex<Date?>(nil)
            let runAt = Date().addingTimeInterval(2)
            let id = try #require(try await JobQueue(pool: pool).enqueue(NewJob(kind: "later", runAt: runAt)).id)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["later": ClosureHandler { _ in started.withLock { $0 = Date() } }]
            ) {
                try await QueueTestSupport.waitUntil("the job succeeds") { try await self.job(pool, id).state == .succeeded }
            }
            let start = try #require(started.withLock { $0 })
            #expect(start >= runAt)
            #expect(start.timeIntervalSince(runAt) < 3)
        }
    }

    @Test("a handler that snoozes runs again later without spending an attempt")
    func snoozeKeepsAttempts() async throws {
        try await self.withPool { database, pool in
            let runs = Mutex(0)
            let id = try #require(try await JobQueue(pool: pool).enqueue(NewJob(kind: "snoozy", maxAttempts: 1)).id)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["snoozy": ClosureHandler { _ in
                    let run = runs.withLock { $0 += 1; return $0 }
                    if run < 3 { throw JobError.snooze(for: .milliseconds(100)) }
                }]
            ) {
                try await QueueTestSupport.waitUntil("the job succeeds") { try await self.job(pool, id).state == .succeeded }
            }
            #expect(runs.withLock { $0 } == 3)
            #expect(try await self.job(pool, id).attempt == 1)
        }
    }

    @Test("cancel, retry and prune do what they say")
    func cancelRetryPrune() async throws {
        try await self.withPool { database, pool in
            let queue = JobQueue(pool: pool)
            let administration = JobAdministration(pool: pool)
            let waiting = try #require(try await queue.enqueue(NewJob(kind: "slow", runAt: Date().addingTimeInterval(3600))).id)
            #expect(try await administration.cancel(id: waiting) == .cancelled)
            #expect(try await self.job(pool, waiting).state == .cancelled)
            await #expect(throws: QueueError.self) { try await administration.cancel(id: waiting) }
            await #expect(throws: QueueError.self) { try await administration.cancel(id: 987_654) }

            // A running job is asked to stop and stops when its handler checks.
            let running = try #require(try await queue.enqueue(NewJob(kind: "slow")).id)
            try await QueueTestSupport.withWorker(
                url: database.url,
                pool: pool,
                handlers: ["slow": ClosureHandler { context in
                    while true {
                        try context.checkCancellation()
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }]
            ) {
                try await QueueTestSupport.waitUntil("the job runs") { try await self.job(pool, running).state == .running }
                #expect(try await administration.cancel(id: running) == .requested)
                try await QueueTestSupport.waitUntil("the job is cancelled") { try await self.job(pool, running).state == .cancelled }
            }

            // Retry brings a cancelled job back; a succeeded one cannot be retried.
            try await administration.retry(id: waiting)
            #expect(try await self.job(pool, waiting).state == .available)
            try await pool.query("UPDATE attest.jobs SET state = 'succeeded', finished_at = now() - interval '8 days' WHERE id = $1", [waiting])
            await #expect(throws: QueueError.self) { try await administration.retry(id: waiting) }

            // Prune deletes finished jobs older than the retention only.
            let pruned = try await JobCleaner(configuration: .init(), pool: pool, logger: Logger(label: "test")).prune()
            #expect(pruned == 1)
            let remaining = try await administration.list(state: nil, kind: nil, limit: 100).map(\.id)
            #expect(remaining == [running])
        }
    }

    @Test("a job enqueued in a transaction that rolls back never exists; one that commits wakes the worker")
    func enqueueInCallersTransaction() async throws {
        struct Abort: Error {}
        try await self.withPool { database, pool in
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    try await JobQueue.enqueue(NewJob(kind: "tx"), on: connection)
                    throw Abort()
                }
            }
            #expect(try await QueueTestSupport.counts(pool).isEmpty)
            let id = try await pool.withTransaction { connection in
                try await JobQueue.enqueue(NewJob(kind: "tx"), on: connection).id
            }
            #expect(id != nil)
            #expect(try await QueueTestSupport.counts(pool)["available"] == 1)
        }
    }

    @Test("PostgreSQL restarted while a worker drains 2,000 jobs: it logs the outage, reconnects and finishes them all")
    func survivesRestart() async throws {
        try await TestCluster.with { cluster in
            try await PGConnection.withConnection(to: cluster.url) { connection in
                _ = try await AttestTestSupport.migrate(connection)
            }
            let pool = PGPool(configuration: .init(connectionString: cluster.url, maximumConnections: 6), logger: Logger(label: "test"))
            let logs = InMemoryLogHandler()
            let logger = Logger(label: "test", factory: { _ in logs })
            try await JobQueue(pool: pool).enqueue(batch: Array(repeating: NewJob(kind: "work"), count: 2_000))
            var configuration = QueueTestSupport.fastConfiguration()
            configuration.leaseDuration = .seconds(10)
            configuration.heartbeatInterval = .seconds(3)
            configuration.concurrency = 10
            try await QueueTestSupport.withWorker(
                url: cluster.url,
                pool: pool,
                configuration: configuration,
                handlers: ["work": ClosureHandler { _ in try await Task.sleep(for: .milliseconds(5)) }],
                logger: logger
            ) {
                try await QueueTestSupport.waitUntil("some jobs succeeded") {
                    (try await QueueTestSupport.counts(pool)["succeeded"] ?? 0) >= 200
                }
                try await cluster.restart()
                try await QueueTestSupport.waitUntil("all 2,000 jobs succeeded", timeout: .seconds(120)) {
                    (try? await QueueTestSupport.counts(pool)["succeeded"]) == 2_000
                }
            }
            let messages = logs.entries.map(\.message.description)
            #expect(messages.contains("Database unavailable; retrying"))
            #expect(messages.contains("Database reachable again"))
            try await pool.close()
        }
    }
}
