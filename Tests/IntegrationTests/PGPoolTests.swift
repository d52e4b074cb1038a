// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestTestSupport
import Foundation
import Logging
import Testing

@Suite("PGPool against a real PostgreSQL", .requiresDatabase)
struct PGPoolTests {
    @Test("a query that needs a 5th connection from a pool of 4 waits, then succeeds")
    func waitsForAFreeConnection() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let pool = PGPool(
                configuration: .init(connectionString: database.url, maximumConnections: 4, leaseTimeout: .seconds(10)),
                logger: Logger(label: "test")
            )
            let started = ContinuousClock.now
            let backends = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try await connection.query("SELECT pg_sleep(0.4)")
                            return try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let elapsed = ContinuousClock.now - started
            #expect(backends.count == 5)
            #expect(Set(backends).count <= 4, "never more than four connections")
            // The fifth query had to wait for one of the first four to finish: two rounds of 0.4 s.
            #expect(elapsed >= .milliseconds(800))
            try await pool.close()
        }
    }

    @Test("openConnections opens connections ahead of demand, up to the maximum, and the pool lends them")
    func opensConnectionsAheadOfDemand() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let pool = PGPool(
                configuration: .init(connectionString: database.url, maximumConnections: 3),
                logger: Logger(label: "test")
            )
            let backends = "SELECT count(*)::bigint AS open FROM pg_stat_activity WHERE datname = current_database()"
            let before = try await PGConnection.withConnection(to: database.url) { try await $0.query(backends)[0].decode("open", as: Int.self) }
            try await pool.openConnections(5)
            let after = try await PGConnection.withConnection(to: database.url) { try await $0.query(backends)[0].decode("open", as: Int.self) }
            #expect(after - before == 3, "three connections open before any query, not five")
            let pids = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try await connection.query("SELECT pg_sleep(0.2)")
                            return try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
                        }
                    }
                }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            #expect(pids.count == 3)
            let total = try await PGConnection.withConnection(to: database.url) { try await $0.query(backends)[0].decode("open", as: Int.self) }
            #expect(total == after, "the three lent connections were the ones opened ahead")
            try await pool.close()
        }
    }

    @Test("a caller that cannot get a connection in time gets poolTimeout, and the pool still works")
    func leaseTimeout() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let pool = PGPool(
                configuration: .init(connectionString: database.url, maximumConnections: 1, leaseTimeout: .milliseconds(200)),
                logger: Logger(label: "test")
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (holding, held) = AsyncStream<Void>.makeStream()
                group.addTask {
                    try await pool.withConnection { connection in
                        held.yield()
                        try await connection.query("SELECT pg_sleep(1)")
                    }
                }
                // The only connection is taken before the second caller asks.
                for await _ in holding { break }
                let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
                #expect(error?.code == .poolTimeout)
                try await group.waitForAll()
            }
            #expect(try await pool.query("SELECT 2 AS two")[0].decode("two", as: Int.self) == 2)
            try await pool.close()
        }
    }

    @Test("after pg_ctl restart the pool discards dead connections and works again without a new process")
    func recoversAfterRestart() async throws {
        try await TestCluster.with { cluster in
            let pool = PGPool(
                configuration: .init(connectionString: cluster.url, maximumConnections: 3),
                logger: Logger(label: "test")
            )
            // Open all three connections so every one of them dies in the restart.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await pool.query("SELECT pg_sleep(0.2)") } }
                try await group.waitForAll()
            }
            let before = try await pool.query("SELECT pg_postmaster_start_time() AS started")[0].decode("started", as: Date.self)
            try await cluster.restart()
            var answers: [Int] = []
            for attempt in 0..<6 {
                answers.append(try await pool.query("SELECT $1::integer AS n", [Int32(attempt)])[0].decode("n"))
            }
            #expect(answers == [0, 1, 2, 3, 4, 5])
            let after = try await pool.query("SELECT pg_postmaster_start_time() AS started")[0].decode("started", as: Date.self)
            #expect(after > before, "the server really restarted")
            try await pool.close()
        }
    }
}
