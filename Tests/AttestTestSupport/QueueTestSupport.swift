// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import AttestQueue
import Foundation
public import Logging

/// Helpers for queue tests: run a worker in-process, count jobs by state, wait for a condition.
public enum QueueTestSupport {
    /// Short settings so tests see retries and rescues in seconds.
    public static func fastConfiguration() -> JobWorker.Configuration {
        var configuration = JobWorker.Configuration()
        configuration.concurrency = 20
        configuration.leaseDuration = .seconds(3)
        configuration.heartbeatInterval = .seconds(1)
        configuration.pollInterval = .milliseconds(200)
        configuration.shutdownTimeout = .seconds(5)
        return configuration
    }

    /// Runs a worker while `body` runs, then stops it (cancellation) and waits for it.
    public static func withWorker<R: Sendable>(
        url: String,
        pool: PGPool,
        configuration: JobWorker.Configuration = fastConfiguration(),
        handlers: [String: any JobHandler],
        logger: Logger = Logger(label: "test"),
        _ body: () async throws -> R
    ) async throws -> R {
        let worker = try JobWorker(
            configuration: configuration,
            pool: pool,
            connectionString: url,
            handlers: handlers,
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await worker.run() }
            do {
                let value = try await body()
                group.cancelAll()
                return value
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Jobs that did not succeed or took more than one attempt, with their errors, to explain a failed expectation.
    public static func troubledJobs(_ pool: PGPool, limit: Int = 5) async throws -> [String] {
        try await pool.query(
            """
            SELECT id, kind, state::text AS state, attempt, errors::text AS errors FROM attest.jobs
            WHERE state <> 'succeeded' OR attempt > 1 ORDER BY id LIMIT $1
            """,
            [limit]
        ).map { row in
            "job \(try row.decode("id", as: Int64.self)) \(try row.decode("kind", as: String.self)) "
                + "\(try row.decode("state", as: String.self)) after \(try row.decode("attempt", as: Int.self)) attempts: "
                + (try row.decode("errors", as: String.self))
        }
    }

    /// Counts of jobs per state.
    public static func counts(_ pool: PGPool) async throws -> [String: Int] {
        let rows = try await pool.query("SELECT state::text AS state, count(*)::bigint AS n FROM attest.jobs GROUP BY state")
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode("state")] = try row.decode("n") }
        return counts
    }

    /// Polls `condition` every 50 ms until it holds; throws after `timeout`.
    public static func waitUntil(
        _ description: String,
        timeout: Duration = .seconds(60),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("timed out after \(timeout) waiting until \(description)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
