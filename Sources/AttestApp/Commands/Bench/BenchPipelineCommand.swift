// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import AttestCore
import AttestDatabase
import AttestPQ
import AttestQueue
import AttestRendering
import Foundation
import Logging

/// `attest bench pipeline`: completions submitted through SQL, rendered and stored by a worker, end to end,
/// beside the render-only rate of the same process at the same concurrency.
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Measure certificates per second end to end: submit, queue, render, store, record.",
        discussion: """
            Against DATABASE_URL (use a scratch database: the benchmark's completions and certificates stay): \
            migrates, renders --render-sample certificates without the database or storage at --concurrency \
            (the render-only rate, taken again after the end-to-end run; the mean of both is the reference, \
            and a warning says when the two differ by more than a tenth), \
            then submits --count completions through attest.submit_completion in batches of 500 while an \
            in-process worker with the same concurrency renders them and stores the PDFs (atomic, fsynced \
            writes) in a fresh directory beside ATTEST_STORAGE_DIR (on the filesystem the worker would write \
            to; --storage-parent overrides), which is removed afterwards. End to end runs from the first \
            submission to the last certificate issued. Before that, as the renderer is warmed up before the \
            render-only rate, --warm-up certificates go through the same pipeline: a fresh database extends its \
            tables and indexes, creates WAL segments and fills its caches during its first thousand or so. \
            The worker's resident memory is reported at the start and the end. \
            Leave five minutes between runs: on ext4 without a journal a new file skips every inode freed in the \
            last one to five minutes, so the files the previous run removed slow this one down. \
            Try: scripts/with-postgres .build/release/attest bench pipeline --count 10000
            """
    )

    @OptionGroup var common: CommonOptions
    @Option(help: "Completions to submit and render.") var count = 2_000
    @Option(help: "Jobs the worker runs at once (as attest worker's default); also the render-only run's.")
    var concurrency = WorkerCommand.defaultConcurrency
    @Option(
        help: "Certificates rendered for each render-only rate (a few seconds' worth: a virtual machine's speed varies by a tenth from one second to the next)."
    )
    var renderSample = 3_000
    @Option(help: "Certificates taken end to end before the clock starts, to warm the database up.") var warmUp = 1_000
    @Option(
        help: ArgumentHelp(
            "Where the benchmark makes its storage directory. Defaults to the directory holding ATTEST_STORAGE_DIR.",
            valueName: "dir"
        )
    )
    var storageParent: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (1...10_000_000).contains(self.count) else { throw ValidationError("--count must be from 1 to 10000000") }
        guard (1...256).contains(self.concurrency) else { throw ValidationError("--concurrency must be from 1 to 256") }
        guard self.renderSample >= 1 else { throw ValidationError("--render-sample must be positive") }
        guard self.warmUp >= 0 else { throw ValidationError("--warm-up must be 0 or more") }
    }

    /// What the benchmark measured, for `--json`.
    struct Report: Codable {
        var certificates: Int
        var concurrency: Int
        /// Certificates taken end to end before the measured run.
        var warmUpCertificates: Int
        /// The mean of the render-only rates measured before and after the end-to-end run.
        var renderOnlyPerSecond: Double
        var renderOnlyBeforePerSecond: Double
        var renderOnlyAfterPerSecond: Double
        var submitPerSecond: Double
        var endToEndSeconds: Double
        var endToEndPerSecond: Double
        var endToEndShareOfRenderOnly: Double
        var startRSSMegabytes: Double
        var endRSSMegabytes: Double
        var peakRSSMegabytes: Double
    }

    func run() async throws {
        var settings = try self.common.settings()
        let url = try settings.requireDatabaseURL()
        let logger = Logger(label: "attest.bench")
        MallocTuning.applyForRendering()
        try await PGConnection.withConnection(to: url) { connection in
            _ = try await Migrator(migrations: try Migration.bundled(), logger: logger).migrate(on: connection)
        }
        // Beside the real storage root, not in /tmp: file creation costs what it costs where the worker writes.
        // (On ext4 without a journal, creating a file skips every inode freed in the last one to five minutes, so
        // in a /tmp where tests just deleted thousands of files it took up to half a millisecond.)
        let parent = self.storageParent.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: settings.storageDirectory).standardizedFileURL.deletingLastPathComponent()
        let storage = parent.appendingPathComponent("attest-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: storage) }
        settings.storageDirectory = storage.path

        let renderer = try CertificateRenderService(settings: settings, logger: logger)
        let pool = PGPool(
            configuration: .init(connectionString: url, maximumConnections: self.concurrency + 4),
            logger: logger
        )
        do {
            let report = try await self.measure(settings: settings, url: url, pool: pool, renderer: renderer, logger: logger)
            try await pool.close()
            try await renderer.shutdown()
            try self.print(report)
        } catch {
            try? await pool.close()
            try? await renderer.shutdown()
            throw error
        }
    }

    private func measure(
        settings: AttestSettings,
        url: String,
        pool: PGPool,
        renderer: CertificateRenderService,
        logger: Logger
    ) async throws -> Report {
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let renderOnlyBefore = try await self.renderOnlyRate(renderer: renderer, templateID: settings.defaultTemplate)
        self.progress(String(format: "render only: %.1f certificates/s at concurrency %d", renderOnlyBefore, self.concurrency))

        var configuration = JobWorker.Configuration()
        configuration.concurrency = self.concurrency
        configuration.kinds = [CertificateRenderHandler.kind]
        configuration.drain = true
        configuration.pollInterval = .milliseconds(200)
        let handlers = try WorkerHandlers.standard(
            settings: settings,
            pool: pool,
            renderer: renderer,
            workerID: configuration.workerID
        )
        // A running worker has its connections open: opening and authenticating them is not part of the run.
        try await pool.openConnections(self.concurrency + 4)
        if self.warmUp > 0 {
            let warmUpRun = run + "w"
            try await self.submit(range: 0..<self.warmUp, run: warmUpRun, pool: pool)
            try await self.runWorker(
                until: self.warmUp,
                run: warmUpRun,
                configuration: configuration,
                handlers: handlers,
                pool: pool,
                url: url,
                logger: logger
            )
            self.progress("warm-up: \(self.warmUp) certificates end to end")
        }
        let startRSS = ProcessInfoReader.residentBytes(of: getpid()) ?? 0

        let started = ContinuousClock.now
        // The first batch is committed before the worker starts, so a draining worker never finds an empty queue
        // while submissions (far faster than rendering) are still coming.
        let firstBatch = min(self.count, 500)
        try await self.submit(range: 0..<firstBatch, run: run, pool: pool)
        async let submission: Duration = {
            try await self.submit(range: firstBatch..<self.count, run: run, pool: pool)
            return ContinuousClock.now - started
        }()
        try await self.runWorker(
            until: self.count,
            run: run,
            configuration: configuration,
            handlers: handlers,
            pool: pool,
            url: url,
            logger: logger
        )
        let endToEnd = (ContinuousClock.now - started).seconds
        let submitSeconds = try await submission.seconds
        let endRSS = ProcessInfoReader.residentBytes(of: getpid()) ?? 0
        let peakRSS = ProcessInfoReader.peakResidentBytes(of: getpid()) ?? 0
        // The machine's speed can drift during a long run: the render-only rate is taken on both sides of it.
        let renderOnlyAfter = try await self.renderOnlyRate(renderer: renderer, templateID: settings.defaultTemplate)
        self.progress(String(format: "render only, after: %.1f certificates/s", renderOnlyAfter))
        let renderOnly = (renderOnlyBefore + renderOnlyAfter) / 2
        let spread = abs(renderOnlyBefore - renderOnlyAfter) / renderOnly
        if spread > Self.renderOnlyTolerance {
            self.progress(
                String(
                    format: "warning: the render-only samples differ by %.0f %%: the machine's speed changed during the run, "
                        + "so the share is unreliable; run again",
                    spread * 100
                )
            )
        }
        let perSecond = Double(self.count) / endToEnd
        return Report(
            certificates: self.count,
            concurrency: self.concurrency,
            warmUpCertificates: self.warmUp,
            renderOnlyPerSecond: renderOnly,
            renderOnlyBeforePerSecond: renderOnlyBefore,
            renderOnlyAfterPerSecond: renderOnlyAfter,
            submitPerSecond: Double(self.count) / submitSeconds,
            endToEndSeconds: endToEnd,
            endToEndPerSecond: perSecond,
            endToEndShareOfRenderOnly: perSecond / renderOnly,
            startRSSMegabytes: Double(startRSS) / 1_048_576,
            endRSSMegabytes: Double(endRSS) / 1_048_576,
            peakRSSMegabytes: Double(peakRSS) / 1_048_576
        )
    }

    /// Certificates per second from the render service alone, `concurrency` renders in flight, after a warm-up.
    private func renderOnlyRate(renderer: CertificateRenderService, templateID: String) async throws -> Double {
        let names = BenchRenderCommand.allNames.map(\.name)
        func content(_ index: Int) -> CertificateContent {
            let code = VerificationCode.random().text
            return CertificateContent(
                learnerName: names[index % names.count],
                courseTitle: Self.courseTitle,
                organisation: Self.organisation,
                issuedOn: CalendarDate(year: 2026, month: 3, day: 1 + index % 28)!,
                locale: "en",
                verificationCode: code,
                verificationURL: "https://verify.example.org/v/" + code,
                score: 0.9
            )
        }
        // Warm up until the caches (fonts, glyphs, the allocator's arenas) are built: a fresh process renders
        // about a quarter slower for its first few hundred certificates.
        for index in 0..<max(Self.warmUpRenders, self.concurrency) {
            _ = try await renderer.render(content(index), templateID: templateID)
        }
        let sample = self.renderSample
        let lanes = self.concurrency
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    for index in stride(from: lane, to: sample, by: lanes) {
                        _ = try await renderer.render(content(index), templateID: templateID)
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(sample) / (ContinuousClock.now - started).seconds
    }

    /// Runs draining workers until `expected` certificates of `run` are issued: a worker that drained faster than
    /// submissions arrived is started again.
    private func runWorker(
        until expected: Int,
        run: String,
        configuration: JobWorker.Configuration,
        handlers: [String: any JobHandler],
        pool: PGPool,
        url: String,
        logger: Logger
    ) async throws {
        while true {
            let worker = try JobWorker(
                configuration: configuration,
                pool: pool,
                connectionString: url,
                handlers: handlers,
                logger: logger
            )
            await worker.run()
            if try await self.issuedCount(run: run, pool: pool) >= expected { return }
            // Only this run's jobs: a scratch database may keep discarded jobs of earlier runs.
            let failed = try await pool.query(
                """
                SELECT count(*)::bigint AS failed FROM attest.jobs j
                JOIN attest.completions completion ON completion.id::text = j.payload ->> 'completion_id'
                WHERE j.kind = $1 AND j.state = 'discarded' AND completion.external_id LIKE $2
                """,
                [CertificateRenderHandler.kind, "bench-\(run)-%"]
            )
            let discarded = try failed[0].decode("failed", as: Int.self)
            if discarded > 0 {
                throw CommandFailure(
                    "\(discarded) certificate.render jobs of this run were discarded: see attest jobs list --state discarded"
                )
            }
        }
    }

    private func submit(range: Range<Int>, run: String, pool: PGPool) async throws {
        let names = BenchRenderCommand.allNames.map(\.name)
        for batchStart in stride(from: range.lowerBound, to: range.upperBound, by: 500) {
            let documents = try (batchStart..<min(batchStart + 500, range.upperBound)).map { index in
                let object: [String: Any] = [
                    "external_id": "bench-\(run)-\(index)",
                    "learner_id": "bench-\(run)-learner-\(index)",
                    "learner_name": names[index % names.count],
                    "course_id": "bench-course",
                    "course_title": Self.courseTitle,
                    "organisation": Self.organisation,
                    "completed_at": "2026-03-\(String(format: "%02d", 1 + index % 28))T10:00:00Z",
                    "score": 0.9,
                ]
                let data = try JSONSerialization.data(withJSONObject: object)
                return String(decoding: data, as: UTF8.self)
            }
            _ = try await pool.withConnection { try await CompletionRepository().submit(documents, on: $0) }
        }
    }

    private func issuedCount(run: String, pool: PGPool) async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT count(*)::bigint AS issued FROM attest.certificates c
            JOIN attest.completions completion ON completion.id = c.completion_id
            WHERE completion.external_id LIKE $1 AND c.status = 'issued'
            """,
            ["bench-\(run)-%"]
        )
        return try rows[0].decode("issued", as: Int.self)
    }

    private static let warmUpRenders = 500
    /// How far apart the two render-only samples may be, as a share of their mean, before the run is flagged.
    private static let renderOnlyTolerance = 0.1
    private static let courseTitle = "Advanced Data Protection and Information Security Practice"
    private static let organisation = "Northbridge Institute of Technology"

    private func print(_ report: Report) throws {
        if self.json { return try printJSON(report) }
        Swift.print(
            String(
                format: "render only: %.1f certificates/s (mean of %.1f before and %.1f after; concurrency %d, one render thread, no database, no files)",
                report.renderOnlyPerSecond, report.renderOnlyBeforePerSecond, report.renderOnlyAfterPerSecond,
                report.concurrency
            )
        )
        Swift.print(String(format: "submit:      %.0f completions/s (attest.submit_completion, batches of 500)", report.submitPerSecond))
        Swift.print(
            String(
                format: "end to end:  %.1f certificates/s (%d in %.2f s: submit, queue, render, store, record; after %d to warm up) = %.1f %% of render only",
                report.endToEndPerSecond, report.certificates, report.endToEndSeconds, report.warmUpCertificates,
                report.endToEndShareOfRenderOnly * 100
            )
        )
        Swift.print(
            String(
                format: "worker RSS:  %.1f MB at start, %.1f MB at end, %.1f MB peak",
                report.startRSSMegabytes, report.endRSSMegabytes, report.peakRSSMegabytes
            )
        )
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
    }
}
