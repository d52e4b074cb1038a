// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import AttestDatabase
import AttestFiles
import AttestPQ
import AttestQueue
import Foundation
import Logging

/// `attest convert INPUT… --out-dir DIR`: PowerPoint decks to PDF with the warm LibreOffice pool, no database;
/// `attest convert --enqueue INPUT…`: the same through the queue and storage.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert .ppt/.pptx decks to PDF (DIR/<name>.pdf), or queue them; exit 1 if any input failed.",
        discussion: """
            Each input is checked before LibreOffice sees it (type from its content, size, zip bombs, \
            encryption) and each PDF is checked after (complete, one page per visible slide). Prints one line \
            per input as it finishes, with the reason when it failed. Decks that share a name but not an \
            extension keep it: a.ppt and a.pptx become a.ppt.pdf and a.pptx.pdf.

            With --enqueue (needs DATABASE_URL), each deck is copied into ATTEST_STORAGE_DIR, recorded in \
            attest.conversions and queued as a document.convert job for `attest worker`; the command prints \
            each conversion's id. The worker stores the PDF beside the source and records pages, size and \
            SHA-256, or the reason the deck cannot be converted.
            """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var conversion: ConversionOptions

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Directory the PDFs are written to.", valueName: "dir"))
    var outputDirectory: String?

    @Flag(help: "Queue the decks for `attest worker` instead of converting them here.")
    var enqueue = false

    @Argument(help: ArgumentHelp("The decks to convert.", valueName: "input"))
    var inputs: [String]

    func validate() throws {
        if self.inputs.isEmpty { throw ValidationError("name at least one deck to convert") }
        if self.enqueue == (self.outputDirectory != nil) {
            throw ValidationError("give either --out-dir DIR (convert here) or --enqueue (convert in the worker)")
        }
    }

    func run() async throws {
        let settings = try self.common.settings()
        if self.enqueue { return try await self.enqueueInputs(settings: settings) }
        let logger = Logger(label: "attest.convert")
        let outputPath = self.outputDirectory ?? "."
        let outputDirectory = URL(fileURLWithPath: outputPath, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            for path in self.inputs { Self.report("FAILED \(path): the output directory \(outputPath) cannot be created") }
            throw ExitCode(1)
        }
        let configuration = try self.conversion.poolConfiguration()
        let pool: ConversionPool
        do {
            pool = try ConversionPool(configuration: configuration, logger: logger)
        } catch {
            for path in self.inputs { Self.report("FAILED \(path): the conversion pool cannot be set up: \(error)") }
            throw ExitCode(1)
        }

        // Plan: one output per input, DIR/<name>.pdf; decks that share a name but not an extension (a.ppt and a.pptx)
        // keep it (a.ppt.pdf, a.pptx.pdf); the same file name twice would overwrite a PDF and is refused.
        var plans: [(path: String, input: URL, output: URL)] = []
        var failures: [(String, String)] = []
        var taken: [String: String] = [:]
        let baseNames = self.inputs.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        let sharedBaseNames = Set(Dictionary(grouping: baseNames, by: { $0 }).filter { $0.value.count > 1 }.keys)
        for path in self.inputs {
            let input = URL(fileURLWithPath: path)
            let base = input.deletingPathExtension().lastPathComponent
            let name = (sharedBaseNames.contains(base) ? input.lastPathComponent : base) + ".pdf"
            if let first = taken[name] {
                failures.append((path, "its output \(name) would overwrite the PDF of \(first)"))
                continue
            }
            taken[name] = path
            plans.append((path, input, outputDirectory.appendingPathComponent(name)))
        }
        for (path, reason) in failures { Self.report("FAILED \(path): \(reason)") }

        let total = self.inputs.count
        var done = failures.count
        var converted = 0
        let inFlight = configuration.hosts * 2
        do {
            try await pool.start()
        } catch {
            await pool.shutdown()
            for plan in plans { Self.report("FAILED \(plan.path): no conversion host could start: \(error)") }
            throw ExitCode(1)
        }
        await withTaskGroup(of: (String, URL, Result<ConversionResult, any Error>).self) { group in
            var next = 0
            func submit() {
                guard next < plans.count else { return }
                let plan = plans[next]
                let path = plan.path
                next += 1
                group.addTask {
                    // The outcome is awaited before the tuple is built. Swift 6.3's optimiser loses the elements of
                    // a returned tuple that are written before an `await` inside the same tuple expression, so
                    // `return (path, output, .success(try await …))` came back from `group.next()` as nil or as
                    // garbage in the release build (README, "Known compiler defects").
                    let outcome: Result<ConversionResult, any Error>
                    do {
                        outcome = .success(try await pool.convert(input: plan.input, output: plan.output))
                    } catch {
                        outcome = .failure(error)
                    }
                    return (path, plan.output, outcome)
                }
            }
            for _ in 0..<inFlight { submit() }
            while let (path, output, outcome) = await group.next() {
                done += 1
                let progress = total > 1 ? "[\(done)/\(total)] " : ""
                switch outcome {
                case .success(let result):
                    converted += 1
                    let seconds = String(format: "%.2f", result.duration.secondsValue)
                    Self.report(
                        "\(progress)ok \(path) -> \(output.path) (\(result.pages) \(result.pages == 1 ? "page" : "pages"), \(seconds) s)"
                    )
                case .failure(let error):
                    failures.append((path, "\(error)"))
                    Self.report("\(progress)FAILED \(path): \(error)")
                }
                submit()
            }
        }
        await pool.shutdown()
        if total > 1 { Self.report("converted \(converted) of \(total); \(total - converted) failed") }
        if converted < total { throw ExitCode(1) }
    }

    /// Prints one line and flushes it at once, also into a pipe: a line the command printed is never lost in a
    /// buffer, whatever happens to the process afterwards.
    private static func report(_ line: String) {
        print(line)
        fflush(nil)
    }

    /// Copies each deck into storage and records it with its job, in one transaction per deck.
    private func enqueueInputs(settings: AttestSettings) async throws {
        let store = try LocalDocumentStore(root: settings.storageDirectory)
        let limit = ConversionPool.Configuration.defaultMaxInputBytes
        var failed = 0
        try await withDatabaseConnection(settings) { connection in
            for path in self.inputs {
                let name = URL(fileURLWithPath: path).lastPathComponent
                let bytes: [UInt8]
                do {
                    let attributes = try FileManager.default.attributesOfItem(atPath: path)
                    let size = (attributes[.size] as? Int) ?? 0
                    guard size <= limit else {
                        failed += 1
                        print("FAILED \(path): it has \(size) bytes; the limit is \(limit)")
                        continue
                    }
                    bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                } catch {
                    failed += 1
                    print("FAILED \(path): it cannot be read")
                    continue
                }
                guard !bytes.isEmpty else {
                    failed += 1
                    print("FAILED \(path): the file is empty")
                    continue
                }
                let id = UUID()
                let sourcePath = DocumentConvertHandler.sourcePath(for: id)
                let stored = try await store.write(bytes, to: sourcePath)
                do {
                    try await connection.transaction { connection in
                        let conversion = ConversionRepository.NewConversion(
                            id: id,
                            sourceName: name,
                            sourcePath: sourcePath,
                            sourceSHA256: stored.sha256,
                            sourceBytes: stored.byteCount
                        )
                        try await ConversionRepository().insert(conversion, on: connection)
                        let job = try NewJob(
                            kind: DocumentConvertHandler.kind,
                            encoding: DocumentConvertHandler.Payload(conversion_id: id),
                            queue: DocumentConvertHandler.queue,
                            uniqueKey: "\(DocumentConvertHandler.kind):\(id)"
                        )
                        _ = try await JobQueue.enqueue(job, on: connection)
                    }
                } catch {
                    // Nothing points at the copy: take it back before reporting the failure.
                    _ = try? await store.delete(sourcePath)
                    throw error
                }
                print("queued \(path) as conversion \(id.uuidString.lowercased())")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var secondsValue: Double {
        let parts = self.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
