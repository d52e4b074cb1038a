// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import AttestPQ
import AttestQueue
import Logging
import ServiceLifecycle
import UnixSignals

/// `attest worker`: runs jobs from the queue until stopped (SIGTERM/SIGINT), or until drained.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued jobs (certificate rendering, conversions, probes).",
        discussion: """
            Claims jobs in batches with FOR UPDATE SKIP LOCKED, wakes on NOTIFY attest_jobs and also polls, \
            renews leases while jobs run, retries failures with exponential backoff, and rescues jobs of \
            workers that died. SIGTERM or SIGINT stops claiming, lets running jobs finish within the \
            shutdown timeout, then returns the rest to the queue. Run as many workers as you like, on as \
            many machines: they coordinate through PostgreSQL only.

            document.convert jobs (attest convert --enqueue) run on the queue "conversions" under their own \
            limit, one per LibreOffice host (--hosts), so long decks never hold up certificates. The hosts \
            start at the first conversion, not before.
            """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var conversion: ConversionOptions

    /// Jobs a worker runs at once unless told otherwise.
    ///
    /// Enough to keep the render thread busy: besides its statements and its file write, a certificate waits about
    /// 10 ms for company (1, 1 and 2 ms for its three database steps, `PGBatcher` says why, up to 6 ms for its
    /// outcome) against under 2 ms rendering, so the render thread needs many jobs behind it. With 10 it stood idle
    /// between claims: in paired runs of 30,000, `attest bench pipeline` measured 84 % of the render-only rate at 10,
    /// 91 % at 16, 95 % at 24 and 91 % at 32 (means of four to nine runs; the drop at 32 is not explained).
    static let defaultConcurrency = 24

    @Option(help: "Jobs run at once.")
    var concurrency = Self.defaultConcurrency

    @Flag(help: "Exit 0 once no job is runnable or running.")
    var drain = false

    @Option(help: ArgumentHelp("Only these job kinds (comma-separated).", valueName: "kind,…"))
    var kinds: String?

    @Option(help: ArgumentHelp("Queues to take jobs from (comma-separated).", valueName: "queue,…"))
    var queues = "default"

    @Option(help: "Seconds a claim stays valid without a heartbeat; heartbeats come every third of it.")
    var leaseSeconds = 30

    @Option(help: "Seconds between looks for work when no notification arrives.")
    var pollSeconds = 2.0

    @Option(help: "Seconds running jobs get to finish after SIGTERM before they are returned to the queue.")
    var shutdownTimeoutSeconds = 30.0

    @Option(help: "Seconds between passes of the rescuer that returns jobs of dead workers to the queue.")
    var rescueSeconds = 5.0

    func validate() throws {
        guard (1...1000).contains(self.concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 1000")
        }
        guard self.leaseSeconds >= 3 else { throw ValidationError("--lease-seconds must be at least 3") }
        guard self.pollSeconds > 0, self.shutdownTimeoutSeconds >= 0, self.rescueSeconds > 0 else {
            throw ValidationError("--poll-seconds and --rescue-seconds must be positive, --shutdown-timeout-seconds not negative")
        }
    }

    func run() async throws {
        let settings = try self.common.settings()
        let url = try settings.requireDatabaseURL()
        let logger = Logger(label: "attest.worker")
        var configuration = JobWorker.Configuration()
        configuration.concurrency = self.concurrency
        configuration.drain = self.drain
        configuration.kinds = self.kinds.map { $0.split(separator: ",").map { String($0).trimmed } }
        configuration.queues = self.queues.split(separator: ",").map { String($0).trimmed }
        configuration.leaseDuration = .seconds(self.leaseSeconds)
        configuration.heartbeatInterval = configuration.leaseDuration / 3
        configuration.pollInterval = .seconds(self.pollSeconds)
        configuration.shutdownTimeout = .seconds(self.shutdownTimeoutSeconds)

        let conversion = configuration.kinds?.contains(DocumentConvertHandler.kind) == false
            ? nil : try self.conversion.poolConfiguration()
        let assembly = try WorkerAssembly(
            settings: settings,
            url: url,
            configuration: configuration,
            conversion: conversion,
            rescueInterval: .seconds(self.rescueSeconds),
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: assembly.services(endsGroup: true),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.notice(
            "Worker started",
            metadata: [
                "worker.id": "\(configuration.workerID)", "worker.concurrency": "\(self.concurrency)",
                "worker.kinds": "\(assembly.kinds)",
            ]
        )
        do {
            try await group.run()
        } catch {
            await assembly.shutdown()
            throw error
        }
        await assembly.shutdown()
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmed: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
