// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestDatabase
import AttestPQ
import AttestQueue
import Foundation
import Logging
import Synchronization

/// `attest bench queue`: no-op throughput with one worker, then enqueue→start latency on an idle worker.
struct BenchQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure queue throughput and enqueue-to-start latency against DATABASE_URL.",
        discussion: """
            Migrates DATABASE_URL, enqueues --jobs no-op jobs in bulk on a queue of its own, runs them with \
            one in-process worker and reports jobs per second; then enqueues --latency-jobs single jobs one \
            by one on the idle worker and reports the time from enqueue to handler start (p50, p99). Its \
            jobs are deleted afterwards. Try: scripts/with-postgres .build/release/attest bench queue
            """
    )

    @OptionGroup var common: CommonOptions
    @Option(help: "No-op jobs for the throughput run.") var jobs = 20_000
    @Option(help: "The worker's concurrency.") var concurrency = 100
    @Option(help: "Single jobs for the latency run.") var latencyJobs = 200
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard self.jobs >= 1, self.latencyJobs >= 1 else { throw ValidationError("--jobs and --latency-jobs must be positive") }
        guard (1...1000).contains(self.concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
    }

    /// What the benchmark printed, for `--json`.
    struct Report: Codable {
        var jobs: Int
        var concurrency: Int
        var enqueueJobsPerSecond: Double
        var jobsPerSecond: Double
        var latencyJobs: Int
        var latencyP50Milliseconds: Double
        var latencyP99Milliseconds: Double
        var latencyMaxMilliseconds: Double
    }

    func run() async throws {
        let settings = try self.common.settings()
        let url = try settings.requireDatabaseURL()
        let logger = Logger(label: "attest.bench")
        try await PGConnection.withConnection(to: url) { connection in
            _ = try await Migrator(migrations: try Migration.bundled(), logger: logger).migrate(on: connection)
        }
        let pool = PGPool(configuration: .init(connectionString: url, maximumConnections: 8), logger: logger)
        let queueName = "bench-\(UInt32.random(in: 0...UInt32.max))"
        let probe = BenchHandler()
        var configuration = JobWorker.Configuration()
        configuration.queues = [queueName]
        configuration.concurrency = self.concurrency
        configuration.pollInterval = .seconds(1)
        let worker = try JobWorker(
            configuration: configuration,
            pool: pool,
            connectionString: url,
            handlers: [NoopHandler.kind: probe],
            logger: logger
        )
        let queue = JobQueue(pool: pool)

        // Enqueue everything first, so the run measures claiming and completing only.
        let enqueueStarted = ContinuousClock.now
        var remaining = self.jobs
        while remaining > 0 {
            let batch = min(remaining, 5_000)
            try await queue.enqueue(batch: Array(repeating: NewJob(kind: NoopHandler.kind, queue: queueName), count: batch))
            remaining -= batch
        }
        let enqueueSeconds = (ContinuousClock.now - enqueueStarted).seconds
        self.progress("enqueued \(self.jobs) jobs in \(String(format: "%.2f", enqueueSeconds)) s")

        let report = try await withThrowingTaskGroup(of: Void.self) { group in
            let started = ContinuousClock.now
            group.addTask { await worker.run() }
            // Wait for the handlers without touching the database, then for the last outcomes to be written.
            while probe.runs < self.jobs { try await Task.sleep(for: .milliseconds(2)) }
            try await self.waitUntilSucceeded(self.jobs, queue: queueName, pool: pool)
            let throughputSeconds = (ContinuousClock.now - started).seconds
            probe.forgetStarts()
            self.progress("ran \(self.jobs) jobs in \(String(format: "%.2f", throughputSeconds)) s")

            var latencies: [Double] = []
            for _ in 0..<self.latencyJobs {
                let enqueued = ContinuousClock.now
                try await queue.enqueue(NewJob(kind: NoopHandler.kind, queue: queueName))
                let startedAt = await probe.nextStart()
                latencies.append((startedAt - enqueued).seconds * 1000)
            }
            group.cancelAll()
            latencies.sort()
            return Report(
                jobs: self.jobs,
                concurrency: self.concurrency,
                enqueueJobsPerSecond: Double(self.jobs) / enqueueSeconds,
                jobsPerSecond: Double(self.jobs) / throughputSeconds,
                latencyJobs: self.latencyJobs,
                latencyP50Milliseconds: latencies[latencies.count / 2],
                latencyP99Milliseconds: latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
                latencyMaxMilliseconds: latencies.last ?? 0
            )
        }
        try await pool.query("DELETE FROM attest.jobs WHERE queue = $1", [queueName])
        try await pool.close()

        if self.json { return try printJSON(report) }
        print(String(format: "enqueue:    %.0f jobs/s (bulk, batches of 5,000)", report.enqueueJobsPerSecond))
        print(String(format: "throughput: %.0f jobs/s (%d no-op jobs, one worker, concurrency %d)", report.jobsPerSecond, report.jobs, report.concurrency))
        print(
            String(
                format: "latency:    enqueue → handler start p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d single jobs, idle worker)",
                report.latencyP50Milliseconds, report.latencyP99Milliseconds, report.latencyMaxMilliseconds, report.latencyJobs
            )
        )
    }

    private func waitUntilSucceeded(_ count: Int, queue: String, pool: PGPool) async throws {
        while true {
            let rows = try await pool.query(
                "SELECT count(*)::bigint AS done FROM attest.jobs WHERE queue = $1 AND state = 'succeeded'",
                [queue]
            )
            if try rows[0].decode("done", as: Int.self) >= count { return }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
    }
}

/// A no-op handler that records when each job starts, for the latency run.
private final class BenchHandler: JobHandler {
    private let starts = Mutex<[ContinuousClock.Instant]>([])
    private let count = Atomic<Int>(0)

    /// How many jobs the handler has run.
    var runs: Int { self.count.load(ordering: .relaxed) }

    func run(_ context: JobContext) async throws {
        let now = ContinuousClock.now
        self.count.add(1, ordering: .relaxed)
        self.starts.withLock { $0.append(now) }
    }

    func forgetStarts() {
        self.starts.withLock { $0.removeAll() }
    }

    /// The start time of the next job to start (the time is taken by the handler, not by this wait).
    func nextStart() async -> ContinuousClock.Instant {
        while true {
            if let instant = self.starts.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return instant }
            try? await Task.sleep(for: .microseconds(200))
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
