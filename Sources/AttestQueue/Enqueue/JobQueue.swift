// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
import Foundation

/// Puts jobs on the queue: one or a batch, on a pooled connection or inside the caller's open transaction.
///
/// Every enqueue sends `NOTIFY attest_jobs`; inside a transaction PostgreSQL delivers it at commit, so a
/// worker never wakes for a job it cannot see yet.
public struct JobQueue: Sendable {
    /// The channel workers `LISTEN` on.
    public static let notificationChannel = "attest_jobs"

    /// What an enqueue did.
    public enum Result: Sendable, Equatable {
        case inserted(id: Int64)
        /// A job with the same unique key is not finished yet; nothing was inserted.
        case duplicate(existingID: Int64?)

        public var id: Int64? {
            switch self {
            case .inserted(let id): return id
            case .duplicate(let id): return id
            }
        }
    }

    private let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// Enqueues one job on a pooled connection.
    @discardableResult
    public func enqueue(_ job: NewJob) async throws -> Result {
        try await self.pool.withConnection { connection in
            try await Self.enqueue(job, on: connection)
        }
    }

    /// Enqueues jobs in one statement on a pooled connection; returns one result per job, in order.
    @discardableResult
    public func enqueue(batch jobs: [NewJob]) async throws -> [Result] {
        try await self.pool.withConnection { connection in
            try await Self.enqueue(batch: jobs, on: connection)
        }
    }

    /// Enqueues one job on `connection`, inside whatever transaction the caller has open there.
    @discardableResult
    public static func enqueue(_ job: NewJob, on connection: PGConnection) async throws -> Result {
        try await self.enqueue(batch: [job], on: connection)[0]
    }

    /// Enqueues jobs on `connection` (inside the caller's transaction, if one is open); returns one result
    /// per job, in order. Jobs without a unique key go in with one statement.
    @discardableResult
    public static func enqueue(batch jobs: [NewJob], on connection: PGConnection) async throws -> [Result] {
        guard !jobs.isEmpty else { return [] }
        for job in jobs { try job.validate() }
        var results = [Result?](repeating: nil, count: jobs.count)
        let plain = jobs.indices.filter { jobs[$0].uniqueKey == nil }
        if !plain.isEmpty {
            let ids = try await self.insertPlain(plain.map { jobs[$0] }, on: connection)
            for (index, id) in zip(plain, ids) { results[index] = .inserted(id: id) }
        }
        for index in jobs.indices where jobs[index].uniqueKey != nil {
            results[index] = try await self.insertUnique(jobs[index], on: connection)
        }
        return results.map { $0! }
    }

    /// One INSERT for many jobs; identity values follow the input order, so sorted ids match positions.
    private static func insertPlain(_ jobs: [NewJob], on connection: PGConnection) async throws -> [Int64] {
        let now = Date()
        let rows = try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO attest.jobs (kind, payload, queue, priority, run_at, max_attempts)
                SELECT kind, payload, queue, priority::smallint, run_at, max_attempts
                FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::integer[], $5::timestamptz[], $6::integer[])
                    WITH ORDINALITY AS input(kind, payload, queue, priority, run_at, max_attempts, position)
                ORDER BY position
                RETURNING id
            ),
            notified AS (SELECT pg_notify($7, '') WHERE EXISTS (SELECT 1 FROM inserted))
            SELECT id FROM inserted, (SELECT count(*) FROM notified) AS sent ORDER BY id
            """,
            [
                PGArray(jobs.map(\.kind)),
                PGArray(jobs.map { PGJSON(text: $0.payload) }),
                PGArray(jobs.map(\.queue)),
                PGArray(jobs.map { Int32($0.priority) }),
                PGArray(jobs.map { $0.runAt ?? now }),
                PGArray(jobs.map(\.maxAttempts)),
                Self.notificationChannel,
            ]
        )
        return try rows.map { try $0.decode("id") }
    }

    private static func insertUnique(_ job: NewJob, on connection: PGConnection) async throws -> Result {
        let rows = try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO attest.jobs (kind, payload, queue, priority, run_at, max_attempts, unique_key)
                VALUES ($1, $2, $3, $4, coalesce($5, now()), $6, $7)
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'running', 'retryable')
                DO NOTHING
                RETURNING id
            ),
            notified AS (SELECT pg_notify($8, '') WHERE EXISTS (SELECT 1 FROM inserted))
            SELECT (SELECT id FROM inserted) AS inserted_id,
                   (SELECT id FROM attest.jobs WHERE unique_key = $7 AND state IN ('available', 'running', 'retryable')
                     AND NOT EXISTS (SELECT 1 FROM inserted)) AS existing_id,
                   (SELECT count(*) FROM notified) AS sent
            """,
            [
                job.kind, PGJSON(text: job.payload), job.queue, Int32(job.priority), job.runAt, job.maxAttempts,
                job.uniqueKey, Self.notificationChannel,
            ]
        )
        if let id = try rows[0].decode("inserted_id", as: Int64?.self) {
            return .inserted(id: id)
        }
        return .duplicate(existingID: try rows[0].decode("existing_id", as: Int64?.self))
    }
}
