// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestRendering
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `attest bench render`: renders N certificates of a template on T threads and reports certificates per CPU-second.
struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Render N certificates (Latin, Arabic, Devanagari, CJK and long names) and report throughput and size.",
        discussion: """
            Each thread has its own renderer (they share the font configuration) and writes its PDFs to \
            --out-dir. Throughput is certificates per CPU-second of the rendering threads (per thread and in \
            total) and certificates per wall-clock second. A warm-up render per thread is not counted.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Certificates to render in total.")
    var count: Int = 1000

    @Option(help: "Rendering threads.")
    var threads: Int = 1

    @Option(help: ArgumentHelp("Template id.", valueName: "id"))
    var template: String = "classic"

    @Option(help: ArgumentHelp("Directory for the PDFs (created; files are overwritten).", valueName: "dir"))
    var outDir: String = ".attest/bench"

    @Option(
        help: ArgumentHelp("Kinds of names to cycle through: latin, arabic, devanagari, cjk, long.", valueName: "kinds")
    )
    var names: String = "latin,arabic,devanagari,cjk,long"

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Templates directory. Overrides ATTEST_TEMPLATES_DIR.", valueName: "dir"))
    var templatesDir: String?

    @Option(help: ArgumentHelp("Fonts directory (with fonts.conf). Overrides ATTEST_FONTS_DIR.", valueName: "dir"))
    var fontsDir: String?

    func validate() throws {
        guard (1...10_000_000).contains(self.count) else { throw ValidationError("--count must be from 1 to 10000000") }
        guard (1...256).contains(self.threads) else { throw ValidationError("--threads must be from 1 to 256") }
        guard !self.selectedNames.isEmpty, self.selectedNames.count == self.names.split(separator: ",").count else {
            throw ValidationError(
                "--names takes a comma-separated list of: \(Self.allNames.map(\.kind).joined(separator: ", "))"
            )
        }
    }

    /// The names the benchmark cycles through, by kind.
    static let allNames: [(kind: String, name: String)] = [
        ("latin", "Amélie Zoë Durand-Łukasiewicz"),
        ("arabic", "محمد بن عبد الله الهاشمي"),
        ("devanagari", "अनुष्का श्रीवास्तव"),
        ("cjk", "王小明"),
        ("long", "Maria Fernanda de los Ángeles Guadalupe Hernández-Villaseñor y Rodríguez de la Concepción Ortega"),
    ]

    var selectedNames: [(kind: String, name: String)] {
        let kinds = Set(self.names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return Self.allNames.filter { kinds.contains($0.kind) }
    }

    /// What one thread measured.
    struct ThreadResult: Codable {
        var thread: Int
        var certificates: Int
        var cpuSeconds: Double
        var certificatesPerCPUSecond: Double
        var bytes: Int
    }

    /// The whole run.
    struct Report: Codable {
        var template: String
        var threads: Int
        var certificates: Int
        var wallSeconds: Double
        var cpuSeconds: Double
        var certificatesPerCPUSecond: Double
        var certificatesPerWallSecond: Double
        var averageKB: Double
        var kbByNameKind: [String: Double]
        var perThread: [ThreadResult]
    }

    func run() throws {
        let settings = try self.common.settings()
        MallocTuning.applyForRendering()
        let loader = TemplateLoader(directory: self.templatesDir ?? settings.templatesDirectory)
        let template = try loader.load(id: self.template)
        let fonts = try FontSet(directory: self.fontsDir ?? settings.fontsDirectory)
        try FileManager.default.createDirectory(atPath: self.outDir, withIntermediateDirectories: true)

        let threads = self.threads
        let count = self.count
        let outDir = self.outDir
        let names = self.selectedNames.map { [$0.kind, $0.name] }
        let results = ResultBox(threads: threads)
        let wallStart = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let share = count / threads + (thread < count % threads ? 1 : 0)
            results.set(
                thread,
                Result {
                    try Self.runThread(
                        thread,
                        share: share,
                        names: names,
                        template: template,
                        fonts: fonts,
                        outDir: outDir
                    )
                }
            )
        }
        let wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9

        var perThread: [ThreadResult] = []
        var sizes: [String: [Int]] = [:]
        for result in results.all() {
            let (measured, threadSizes) = try result.get()
            perThread.append(measured)
            sizes.merge(threadSizes) { $0 + $1 }
        }
        let cpu = perThread.map(\.cpuSeconds).reduce(0, +)
        let totalBytes = perThread.map(\.bytes).reduce(0, +)
        let report = Report(
            template: template.id,
            threads: threads,
            certificates: count,
            wallSeconds: wallSeconds,
            cpuSeconds: cpu,
            certificatesPerCPUSecond: Double(count) / cpu,
            certificatesPerWallSecond: Double(count) / wallSeconds,
            averageKB: Double(totalBytes) / Double(count) / 1024,
            kbByNameKind: sizes.mapValues { Double($0.reduce(0, +)) / Double(max(1, $0.count)) / 1024 },
            perThread: perThread
        )
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
            print(
                "template \(report.template), \(count) certificates on \(threads) thread(s), names \(self.names), PDFs in \(outDir)"
            )
            for measured in perThread {
                print(
                    "  thread \(measured.thread): \(measured.certificates) in \(f(measured.cpuSeconds, 3)) CPU-s = \(f(measured.certificatesPerCPUSecond)) certificates per CPU-second"
                )
            }
            print(
                "total: \(f(report.certificatesPerCPUSecond)) certificates per CPU-second, \(f(report.certificatesPerWallSecond)) per wall-clock second (\(f(wallSeconds, 3)) s)"
            )
            let kinds = report.kbByNameKind.keys.sorted().map { "\($0) \(f(report.kbByNameKind[$0]!)) KB" }.joined(
                separator: ", "
            )
            print("size: \(f(report.averageKB)) KB per file on average; by name: \(kinds)")
        }
    }

    private static func runThread(
        _ thread: Int,
        share: Int,
        names: [[String]],
        template: CertificateTemplate,
        fonts: FontSet,
        outDir: String
    ) throws -> (ThreadResult, [String: [Int]]) {
        let renderer = try CertificateRenderer(template: template, fonts: fonts)
        func content(_ index: Int) -> (String, CertificateContent) {
            let kind = names[index % names.count][0]
            let name = names[index % names.count][1]
            let code = "bench" + String(thread) + "x" + String(index)
            return (
                kind,
                CertificateContent(
                    learnerName: name,
                    courseTitle: "Advanced Data Protection and Information Security Practice",
                    organisation: "Northbridge Institute of Technology",
                    issuedOn: CalendarDate(year: 2026, month: 3, day: 1 + index % 28)!,
                    locale: "en",
                    verificationCode: code,
                    verificationURL: "https://verify.example.org/v/" + code,
                    score: 0.5 + Double(index % 50) / 100
                )
            )
        }
        // Warm-up: loads every font the names need, outside the measurement.
        for index in 0..<names.count { _ = try renderer.render(content(index).1) }

        var sizes: [String: [Int]] = [:]
        var bytes = 0
        let start = Self.threadCPUTime()
        for index in 0..<share {
            let (kind, content) = content(index)
            let output = try renderer.render(content)
            try Self.write(output.pdf, to: "\(outDir)/t\(thread)-\(index).pdf")
            bytes += output.pdf.count
            sizes[kind, default: []].append(output.pdf.count)
        }
        let cpu = Self.threadCPUTime() - start
        let result = ThreadResult(
            thread: thread,
            certificates: share,
            cpuSeconds: cpu,
            certificatesPerCPUSecond: Double(share) / max(cpu, 1e-9),
            bytes: bytes
        )
        return (result, sizes)
    }

    /// Writes a file with plain POSIX calls: no fsync (a document store syncs; a benchmark of rendering should not).
    private static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BenchFailure(description: "cannot create \(path): errno \(errno)") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            guard written > 0 else { throw BenchFailure(description: "cannot write \(path): errno \(errno)") }
            offset += written
        }
    }

    /// The benchmark could not write its output.
    struct BenchFailure: Error, CustomStringConvertible {
        var description: String
    }

    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// Collects one result per benchmark thread; each thread writes only its own slot.
private final class ResultBox: @unchecked Sendable {
    // Invariant: the lock guards `results`; every access takes it.
    private let lock = NSLock()
    private var results: [Result<(BenchRenderCommand.ThreadResult, [String: [Int]]), any Error>?]

    init(threads: Int) {
        self.results = Array(repeating: nil, count: threads)
    }

    func set(_ thread: Int, _ result: Result<(BenchRenderCommand.ThreadResult, [String: [Int]]), any Error>) {
        self.lock.lock()
        defer { self.lock.unlock() }
        self.results[thread] = result
    }

    func all() -> [Result<(BenchRenderCommand.ThreadResult, [String: [Int]]), any Error>] {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.results.compactMap { $0 }
    }
}
