// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestPQ
import AttestQueue
import AttestTestSupport
import Foundation
import Glibc
import Logging
import Synchronization
import Testing

/// Real `attest worker` processes: several at once, killed with SIGKILL, stopped with SIGTERM.
@Suite("attest worker processes against a real PostgreSQL", .requiresDatabase, .serialized)
struct WorkerProcessTests {
    private func withPool(_ body: (TestDatabase, PGPool) async throws -> Void) async throws {
        try await TestDatabase.withPool(maximumConnections: 4, body)
    }

    private func worker(_ url: String, _ arguments: [String]) async throws -> RunningProcess {
        try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["worker"] + arguments,
            environment: ["DATABASE_URL": url, "ATTEST_LOG_LEVEL": "warning"]
        )
    }

    private func probes(_ count: Int, sleepMilliseconds: Int = 0) -> [NewJob] {
        Array(repeating: NewJob(kind: "attest.probe", payload: #"{"sleep_ms": \#(sleepMilliseconds)}"#), count: count)
    }

    @Test("three worker processes drain 5,000 jobs and every job runs exactly once")
    func threeWorkersExactlyOnce() async throws {
        try await self.withPool { database, pool in
            try await JobQueue(pool: pool).enqueue(batch: self.probes(5_000))
            let results = try await withThrowingTaskGroup(of: RunningProcess.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await self.worker(database.url, ["--drain", "--concurrency", "20"]) }
                }
                return try await group.reduce(into: [RunningProcess]()) { $0.append($1) }
            }
            for result in results { #expect(result.status == 0, "\(result.standardError)") }
            let runs = try await pool.query(
                """
                SELECT count(*)::bigint AS runs, count(DISTINCT job_id)::bigint AS jobs, count(DISTINCT worker_id)::bigint AS workers
                FROM attest.probe_runs
                """
            )[0]
            #expect(try runs.decode("runs", as: Int.self) == 5_000)
            #expect(try runs.decode("jobs", as: Int.self) == 5_000)
            #expect(try runs.decode("workers", as: Int.self) >= 2, "the work was shared")
            #expect(try await QueueTestSupport.counts(pool) == ["succeeded": 5_000])
        }
    }

    @Test("a worker killed with SIGKILL mid-job: after the lease expires another worker runs its jobs; none lost")
    func killedWorkerJobsAreRescued() async throws {
        try await self.withPool { database, pool in
            try await JobQueue(pool: pool).enqueue(batch: self.probes(30, sleepMilliseconds: 1_500))
            let killed = try await RunningProcess.run(
                try IntegrationEnvironment.attestExecutable,
                arguments: ["worker", "--concurrency", "10", "--lease-seconds", "3"],
                environment: ["DATABASE_URL": database.url, "ATTEST_LOG_LEVEL": "warning"]
            ) { processID in
                try await QueueTestSupport.waitUntil("the first worker runs 10 jobs") {
                    try await QueueTestSupport.counts(pool)["running"] == 10
                }
                kill(processID, SIGKILL)
            }
            #expect(killed.status == 128 + SIGKILL)
            #expect(try await QueueTestSupport.counts(pool)["running"] == 10, "the killed worker's jobs are left running")

            let second = try await self.worker(
                database.url,
                ["--drain", "--concurrency", "30", "--lease-seconds", "3", "--rescue-seconds", "0.5", "--poll-seconds", "0.5"]
            )
            #expect(second.status == 0, "\(second.standardError)")
            #expect(try await QueueTestSupport.counts(pool) == ["succeeded": 30])
            let rescued = try await pool.query(
                "SELECT count(*)::bigint AS n FROM attest.jobs WHERE errors @> '[{\"kind\": \"lease_expired\"}]'"
            )
            #expect(try rescued[0].decode("n", as: Int.self) == 10)
            let runs = try await pool.query("SELECT count(DISTINCT job_id)::bigint AS n FROM attest.probe_runs")
            #expect(try runs[0].decode("n", as: Int.self) == 30)
        }
    }

    @Test("SIGTERM during work: running jobs finish, the process exits 0 in time, nothing is left running")
    func sigtermFinishesRunningJobs() async throws {
        try await self.withPool { database, pool in
            try await JobQueue(pool: pool).enqueue(batch: self.probes(10, sleepMilliseconds: 1_500))
            let signalled = Mutex<ContinuousClock.Instant?>(nil)
            let result = try await RunningProcess.run(
                try IntegrationEnvironment.attestExecutable,
                arguments: ["worker", "--concurrency", "5", "--shutdown-timeout-seconds", "20"],
                environment: ["DATABASE_URL": database.url, "ATTEST_LOG_LEVEL": "warning"]
            ) { processID in
                try await QueueTestSupport.waitUntil("the worker runs 5 jobs") {
                    try await QueueTestSupport.counts(pool)["running"] == 5
                }
                signalled.withLock { $0 = .now }
                kill(processID, SIGTERM)
            }
            #expect(result.status == 0, "\(result.standardError)")
            // Within the shutdown timeout of SIGTERM (the jobs need 1.5 s), however slow the start was.
            #expect(ContinuousClock.now - (signalled.withLock { $0 } ?? .now) < .seconds(20))
            let counts = try await QueueTestSupport.counts(pool)
            #expect(counts["running"] == nil)
            #expect(counts["succeeded"] == 5)
            #expect(counts["available"] == 5)
            let runs = try await pool.query("SELECT count(*)::bigint AS n FROM attest.probe_runs")
            #expect(try runs[0].decode("n", as: Int.self) == 5)
        }
    }

    @Test("SIGTERM with jobs that outlast the shutdown timeout: they are returned to the queue at once")
    func shutdownTimeoutReleasesJobs() async throws {
        try await self.withPool { database, pool in
            try await JobQueue(pool: pool).enqueue(batch: self.probes(3, sleepMilliseconds: 60_000))
            let result = try await RunningProcess.run(
                try IntegrationEnvironment.attestExecutable,
                arguments: ["worker", "--concurrency", "3", "--shutdown-timeout-seconds", "1"],
                environment: ["DATABASE_URL": database.url, "ATTEST_LOG_LEVEL": "warning"]
            ) { processID in
                try await QueueTestSupport.waitUntil("the worker runs 3 jobs") {
                    try await QueueTestSupport.counts(pool)["running"] == 3
                }
                kill(processID, SIGTERM)
            }
            #expect(result.status == 0, "\(result.standardError)")
            let jobs = try await JobAdministration(pool: pool).list(state: nil, kind: nil, limit: 10)
            #expect(jobs.map(\.state) == [.available, .available, .available])
            #expect(jobs.allSatisfy { $0.attempt == 0 && $0.workerID == nil }, "the interrupted attempt is given back")
        }
    }
}
