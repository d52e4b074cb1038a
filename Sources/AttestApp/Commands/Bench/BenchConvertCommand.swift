// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import Foundation
import Logging

/// `attest bench convert --corpus DIR`: warm pool seconds per deck and decks per minute, beside cold soffice.
struct BenchConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Benchmark deck conversion: warm pool vs. LibreOfficeKit's own time vs. cold soffice per file.",
        discussion: """
            Every deck is converted once to warm the hosts, then --rounds more times (measured). The \
            LibreOfficeKit time is what the host measured around documentLoad + saveAs for the same conversions. \
            The cold run starts `soffice --headless --convert-to pdf` once per deck (after one unmeasured run that \
            creates its profile). Host memory is the resident size of the first host when ready, the highest seen \
            after any conversion, and the hosts' size at the end.
            """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var conversion: ConversionOptions

    @Option(help: ArgumentHelp("Directory of .ppt/.pptx/.pps/.ppsx decks.", valueName: "dir"))
    var corpus: String

    @Option(help: "Measured rounds over the corpus after the warm-up round.")
    var rounds = 3

    @Flag(help: "Skip the cold soffice comparison.")
    var noCold = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// The figures the benchmark reports.
    struct Report: Codable {
        struct Figures: Codable {
            var medianSeconds: Double
            var maxSeconds: Double
        }

        var decks: Int
        var failedDecks: [String: String]
        var hosts: Int
        var rounds: Int
        var conversions: Int
        var warm: Figures
        var libreOfficeKit: Figures
        var poolOverheadPercent: Double
        var preflightMedianSeconds: Double
        var decksPerMinute: Double
        var cold: Figures?
        var speedupMedian: Double?
        var hostStarts: Int
        var hostStartMB: Double
        var hostPeakMB: Double
        var hostEndMB: Double
    }

    func validate() throws {
        if self.rounds < 1 { throw ValidationError("--rounds must be at least 1") }
    }

    func run() async throws {
        _ = try self.common.settings()
        let logger = Logger(label: "attest.bench.convert")
        let corpus = URL(fileURLWithPath: self.corpus, isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        let decks = names.filter {
            ["ppt", "pptx", "pps", "ppsx"].contains(($0 as NSString).pathExtension.lowercased())
        }
        .map { corpus.appendingPathComponent($0) }
        guard !decks.isEmpty else { throw ValidationError("no .ppt/.pptx/.pps/.ppsx files in \(self.corpus)") }

        let configuration = try self.conversion.poolConfiguration()
        let outputs = try ConversionOptions.makeWorkDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let pool = try ConversionPool(configuration: configuration, logger: logger)
        try await pool.start()

        // Warm-up: every deck once; decks that fail are reported and left out.
        var failed: [String: String] = [:]
        var good: [URL] = []
        for deck in decks {
            do {
                _ = try await pool.convert(input: deck, output: outputs.appendingPathComponent("warmup.pdf"))
                good.append(deck)
            } catch {
                failed[deck.lastPathComponent] = "\(error)"
            }
        }
        guard !good.isEmpty else {
            await pool.shutdown()
            throw ValidationError("no deck of the corpus converts")
        }

        // Measured rounds, as many at once as there are hosts.
        let jobs = (0..<self.rounds).flatMap { _ in good }
        let clock = ContinuousClock()
        let started = clock.now
        var durations: [Double] = []
        var officeDurations: [Double] = []
        var checkDurations: [Double] = []
        try await withThrowingTaskGroup(of: ConversionResult.self) { group in
            var next = 0
            func submit() {
                guard next < jobs.count else { return }
                let deck = jobs[next]
                let output = outputs.appendingPathComponent("out-\(next % configuration.hosts).pdf")
                next += 1
                group.addTask { try await pool.convert(input: deck, output: output) }
            }
            for _ in 0..<configuration.hosts { submit() }
            while let result = try await group.next() {
                durations.append(result.duration.secondsValue)
                officeDurations.append(result.officeDuration.secondsValue)
                checkDurations.append(result.inspectionDuration.secondsValue)
                submit()
            }
        }
        let wall = (clock.now - started).secondsValue
        let statistics = await pool.statistics()
        await pool.shutdown()

        var cold: Report.Figures?
        if !self.noCold {
            cold = try self.coldRun(good, soffice: configuration.officeInstallPath + "/soffice", outputs: outputs)
        }
        let warm = Report.Figures(medianSeconds: Self.median(durations), maxSeconds: durations.max() ?? 0)
        let office = Report.Figures(medianSeconds: Self.median(officeDurations), maxSeconds: officeDurations.max() ?? 0)
        let megabyte = 1_048_576.0
        let report = Report(
            decks: decks.count,
            failedDecks: failed,
            hosts: configuration.hosts,
            rounds: self.rounds,
            conversions: durations.count,
            warm: warm,
            libreOfficeKit: office,
            poolOverheadPercent: (warm.medianSeconds / max(office.medianSeconds, 1e-9) - 1) * 100,
            preflightMedianSeconds: Self.median(checkDurations),
            decksPerMinute: Double(durations.count) / wall * 60,
            cold: cold,
            speedupMedian: cold.map { $0.medianSeconds / max(warm.medianSeconds, 1e-9) },
            hostStarts: statistics.map(\.starts).reduce(0, +),
            hostStartMB: Double(statistics.map(\.firstResidentBytes).max() ?? 0) / megabyte,
            hostPeakMB: Double(statistics.map(\.peakResidentBytes).max() ?? 0) / megabyte,
            hostEndMB: Double(statistics.map(\.currentResidentBytes).max() ?? 0) / megabyte
        )
        self.print(report)
    }

    private func coldRun(_ decks: [URL], soffice: String, outputs: URL) throws -> Report.Figures {
        let profile = try ConversionOptions.makeWorkDirectory()
        defer { try? FileManager.default.removeItem(at: profile) }
        func convert(_ deck: URL) throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: soffice)
            process.arguments = [
                "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", outputs.path, deck.path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let clock = ContinuousClock()
            let started = clock.now
            try process.run()
            process.waitUntilExit()
            return (clock.now - started).secondsValue
        }
        _ = try convert(decks[0])  // creates the profile; not measured
        let times = try decks.map(convert)
        return Report.Figures(medianSeconds: Self.median(times), maxSeconds: times.max() ?? 0)
    }

    private func print(_ report: Report) {
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(report) { Swift.print(String(decoding: data, as: UTF8.self)) }
            return
        }
        func s(_ value: Double) -> String { String(format: "%.3f s", value) }
        func mb(_ value: Double) -> String { String(format: "%.0f MB", value) }
        Swift.print("corpus: \(report.decks) decks, \(report.decks - report.failedDecks.count) convert")
        for (name, reason) in report.failedDecks.sorted(by: { $0.key < $1.key }) {
            Swift.print("  not measured: \(name): \(reason)")
        }
        Swift.print(
            "warm (\(report.hosts) hosts, \(report.rounds) rounds, \(report.conversions) conversions): "
                + "median \(s(report.warm.medianSeconds)), max \(s(report.warm.maxSeconds)) per deck; "
                + String(format: "%.0f decks/min", report.decksPerMinute)
        )
        Swift.print(
            "LibreOfficeKit in-process, same conversions: median \(s(report.libreOfficeKit.medianSeconds)), "
                + "max \(s(report.libreOfficeKit.maxSeconds)); pool overhead "
                + String(format: "%+.1f%%", report.poolOverheadPercent)
                + " (pre-flight checks median \(s(report.preflightMedianSeconds)))"
        )
        if let cold = report.cold, let speedup = report.speedupMedian {
            Swift.print(
                "cold soffice --convert-to per file: median \(s(cold.medianSeconds)), max \(s(cold.maxSeconds)); "
                    + String(format: "warm is %.1fx faster (median)", speedup)
            )
        }
        Swift.print(
            "host memory (RSS): start \(mb(report.hostStartMB)), peak \(mb(report.hostPeakMB)), "
                + "end \(mb(report.hostEndMB)); \(report.hostStarts) host starts"
        )
    }

    private static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
