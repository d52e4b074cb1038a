// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@Suite("PGBatcher against a real PostgreSQL", .requiresDatabase)
struct PGBatcherTests {
    /// The size of every batch a batcher ran, in order.
    private final class BatchSizes: Sendable {
        private let sizes = Mutex<[Int]>([])
        func record(_ size: Int) { self.sizes.withLock { $0.append(size) } }
        var all: [Int] { self.sizes.withLock { $0 } }
    }

    /// Squares integers in SQL and records the size of every batch it ran.
    private static func squarer(pool: PGPool, window: Duration, maximumBatch: Int = 100) -> (PGBatcher<Int32, Int32>, BatchSizes) {
        let batches = BatchSizes()
        let batcher = PGBatcher<Int32, Int32>(pool: pool, window: window, maximumBatch: maximumBatch) { numbers, connection in
            batches.record(numbers.count)
            // 100 / (n - 13) fails for 13 alone, so one bad request can spoil a batch.
            return try await connection.query(
                """
                SELECT (n * n + 100 / (n - 13) * 0)::integer AS square
                FROM unnest($1::integer[]) WITH ORDINALITY AS input(n, position) ORDER BY position
                """,
                [PGArray(numbers)]
            ).map { try $0.decode("square") }
        }
        return (batcher, batches)
    }

    @Test("calls made together share one statement, and each caller gets its own answer")
    func coalescesConcurrentCalls() async throws {
        try await TestDatabase.withPool { _, pool in
            let (batcher, batches) = Self.squarer(pool: pool, window: .milliseconds(200))
            let answers = try await withThrowingTaskGroup(of: (Int32, Int32).self) { group in
                for number in Int32(1)...20 where number != 13 {
                    // Awaited before the tuple is built: see ConvertCommand (a Swift 6.3 optimiser defect).
                    group.addTask {
                        let square = try await batcher.call(number)
                        return (number, square)
                    }
                }
                return try await group.reduce(into: [Int32: Int32]()) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 19)
            #expect(answers.allSatisfy { $0.value == $0.key * $0.key })
            #expect(batches.all == [19], "one statement for all nineteen calls")
            // A call after the batch ran starts a new one.
            #expect(try await batcher.call(7) == 49)
            #expect(batches.all == [19, 1])
        }
    }

    @Test("a batch that reaches its maximum takes no more calls: the next ones form another batch")
    func splitsAtTheMaximum() async throws {
        try await TestDatabase.withPool { _, pool in
            let (batcher, batches) = Self.squarer(pool: pool, window: .milliseconds(200), maximumBatch: 4)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in Int32(1)...10 {
                    group.addTask {
                        let square = try await batcher.call(number)
                        #expect(square == number * number)
                    }
                }
                try await group.waitForAll()
            }
            #expect(batches.all.sorted() == [2, 4, 4])
        }
    }

    @Test("a request the server rejects fails alone: the others of its batch run again one by one and succeed")
    func isolatesAFailingRequest() async throws {
        try await TestDatabase.withPool { _, pool in
            let (batcher, batches) = Self.squarer(pool: pool, window: .milliseconds(200))
            let results = await withTaskGroup(of: (Int32, Result<Int32, any Error>).self) { group in
                for number in Int32(11)...15 {
                    group.addTask {
                        let outcome: Result<Int32, any Error>
                        do { outcome = .success(try await batcher.call(number)) } catch { outcome = .failure(error) }
                        return (number, outcome)
                    }
                }
                return await group.reduce(into: [Int32: Result<Int32, any Error>]()) { $0[$1.0] = $1.1 }
            }
            for number in [Int32(11), 12, 14, 15] {
                #expect((try? results[number]?.get()) == number * number)
            }
            guard case .failure(let error as PGError) = results[13] else {
                Issue.record("13 should fail with the server's error")
                return
            }
            #expect(error.sqlState == "22012", "division by zero, as the server reported it")
            #expect(batches.all == [5, 1, 1, 1, 1, 1], "the batch, then each request alone")
        }
    }

    @Test("a cancelled leader still runs its batch: the other callers get their answers")
    func cancelledLeaderRunsItsBatch() async throws {
        try await TestDatabase.withPool(maximumConnections: 1) { _, pool in
            // A long window, so that a slow machine still sees the follower join the leader's batch.
            let (batcher, batches) = Self.squarer(pool: pool, window: .seconds(1))
            // The pool's only connection is held, so the leader is waiting for it when it is cancelled.
            let (held, release) = AsyncStream<Void>.makeStream()
            let holder = Task { try await pool.withConnection { _ in for await _ in held {} } }
            let leader = Task { try await batcher.call(2) }
            try await Task.sleep(for: .milliseconds(100))
            let follower = Task { try await batcher.call(3) }
            // After the window: the leader has taken the batch and waits for the connection.
            try await Task.sleep(for: .milliseconds(1_200))
            leader.cancel()
            try await Task.sleep(for: .milliseconds(50))
            release.finish()
            try await holder.value
            #expect(try await follower.value == 9)
            #expect(try await leader.value == 4, "the leader's own request ran with its batch")
            #expect(batches.all == [2])
        }
    }
}
