// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestPQ
import AttestQueue
import Foundation
import Logging

/// `attest jobs …`: look at and operate the job queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect and operate the job queue.",
        subcommands: [Stats.self, List.self, Retry.self, Cancel.self, Prune.self]
    )

    /// `attest jobs stats`
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts of jobs per kind and state, and how long the oldest runnable job has waited."
        )

        @OptionGroup var common: CommonOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let stats = try await withAdministration(self.common) { try await $0.stats() }
            if self.json { return try printJSON(stats) }
            if stats.counts.isEmpty { print("no jobs") }
            let width = max(4, stats.counts.map(\.kind.count).max() ?? 0)
            for count in stats.counts {
                print("\(count.kind.padded(to: width))  \(count.state.rawValue.padded(to: 10))  \(count.count)")
            }
            if let age = stats.oldestAvailableAgeSeconds {
                print(String(format: "oldest runnable job has waited %.1f s", age))
            } else {
                print("no job is waiting to run")
            }
        }
    }

    /// `attest jobs list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")

        @OptionGroup var common: CommonOptions
        @Option(help: "Only jobs in this state: available, running, succeeded, retryable, discarded, cancelled.")
        var state: String?
        @Option(help: "Only jobs of this kind.") var kind: String?
        @Option(help: "At most this many jobs.") var limit = 50
        @Flag(help: "Print JSON (with every attempt's error).") var json = false

        func validate() throws {
            if let state = self.state, JobState(rawValue: state) == nil {
                throw ValidationError(
                    "--state \(state) is not a job state; use one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard (1...10_000).contains(self.limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        }

        func run() async throws {
            let jobs = try await withAdministration(self.common) { administration in
                try await administration.list(state: self.state.flatMap(JobState.init), kind: self.kind, limit: self.limit)
            }
            if self.json { return try printJSON(jobs) }
            if jobs.isEmpty { print("no jobs") }
            for job in jobs {
                var line = "\(job.id)  \(job.kind)  \(job.state.rawValue)  attempt \(job.attempt)/\(job.maxAttempts)"
                if let error = job.lastError { line += "  last error: \(error)" }
                print(line)
            }
        }
    }

    /// `attest jobs retry ID`
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a discarded or cancelled job again now.")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await withAdministration(self.common) { try await $0.retry(id: self.id) }
            print("job \(self.id) is available again")
        }
    }

    /// `attest jobs cancel ID`
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a waiting job; a running job stops when its handler next checks."
        )

        @OptionGroup var common: CommonOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            switch try await withAdministration(self.common, { try await $0.cancel(id: self.id) }) {
            case .cancelled: print("job \(self.id) cancelled")
            case .requested: print("job \(self.id) is running; asked its handler to stop")
            }
        }
    }

    /// `attest jobs prune`
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete finished jobs (succeeded, discarded, cancelled) older than the retention period."
        )

        @OptionGroup var common: CommonOptions
        @Option(help: "Keep finished jobs younger than this many days.") var olderThanDays = 7.0
        @Flag(help: "Count what would be deleted without deleting it.") var dryRun = false

        func validate() throws {
            guard (0...36_500).contains(self.olderThanDays) else {
                throw ValidationError("--older-than-days must be from 0 to 36500")
            }
        }

        func run() async throws {
            var configuration = JobCleaner.Configuration()
            configuration.retention = .seconds(self.olderThanDays * 86_400)
            let message = try await withCommandPool(self.common) { pool in
                let cleaner = JobCleaner(configuration: configuration, pool: pool, logger: Logger(label: "attest.jobs"))
                if self.dryRun {
                    return "would delete \(try await cleaner.countPrunable()) finished job(s)"
                }
                return "deleted \(try await cleaner.prune()) finished job(s) older than \(self.olderThanDays) day(s)"
            }
            print(message)
        }
    }
}

/// Runs `body` with a `JobAdministration` on a one-connection pool, closing it afterwards.
private func withAdministration<R: Sendable>(
    _ common: CommonOptions,
    _ body: (JobAdministration) async throws -> R
) async throws -> R {
    try await withCommandPool(common) { pool in try await body(JobAdministration(pool: pool)) }
}

/// Runs `body` with a one-connection pool to the configured database, closing it afterwards.
func withCommandPool<R: Sendable>(_ common: CommonOptions, _ body: (PGPool) async throws -> R) async throws -> R {
    let settings = try common.settings()
    let pool = PGPool(
        configuration: .init(connectionString: try settings.requireDatabaseURL(), maximumConnections: 1),
        logger: Logger(label: "attest.jobs")
    )
    do {
        let value = try await body(pool)
        try await pool.close()
        return value
    } catch {
        try? await pool.close()
        throw error
    }
}
/// Prints a value as pretty JSON with ISO 8601 dates and snake_case keys.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

extension String {
    /// Left-aligned in a column of `width` characters.
    func padded(to width: Int) -> String {
        self.count >= width ? self : self + String(repeating: " ", count: width - self.count)
    }
}
