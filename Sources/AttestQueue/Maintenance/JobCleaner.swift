// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Logging
public import ServiceLifecycle

/// Deletes finished jobs older than the retention period, in small batches so no statement runs long.
public struct JobCleaner: Service {
    /// What the cleaner keeps and how often it runs.
    public struct Configuration: Sendable {
        /// Finished jobs younger than this stay. Defaults to 7 days.
        public var retention: Duration = .seconds(7 * 24 * 3600)
        /// Defaults to 10 minutes.
        public var interval: Duration = .seconds(600)
        /// Rows per DELETE. Defaults to 1,000.
        public var batchSize = 1000

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
            let pruned = try await self.prune()
            if pruned > 0 {
                self.logger.debug("Pruned finished jobs", metadata: ["jobs.count": "\(pruned)"])
            }
        }
    }

    /// How many finished jobs `prune` would delete now.
    public func countPrunable() async throws -> Int {
        let rows = try await self.pool.query(
            """
            SELECT count(*)::bigint AS count FROM attest.jobs
            WHERE state IN ('succeeded', 'discarded', 'cancelled') AND finished_at < now() - $1 * interval '1 millisecond'
            """,
            [self.configuration.retention.milliseconds]
        )
        return try rows[0].decode("count")
    }

    /// Deletes every finished job older than the retention, batch by batch. Returns how many it deleted.
    @discardableResult
    public func prune() async throws -> Int {
        var total = 0
        while true {
            try Task.checkCancellation()
            let deleted = try await self.pool.query(
                """
                DELETE FROM attest.jobs WHERE id IN (
                    SELECT id FROM attest.jobs
                    WHERE state IN ('succeeded', 'discarded', 'cancelled')
                      AND finished_at < now() - $1 * interval '1 millisecond'
                    LIMIT $2
                )
                """,
                [self.configuration.retention.milliseconds, self.configuration.batchSize]
            ).affectedRows
            total += deleted
            if deleted < self.configuration.batchSize { return total }
        }
    }
}
