// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import Foundation
import Logging

/// `attest convert INPUT… --out-dir DIR`: PowerPoint decks to PDF with the warm LibreOffice pool, no database.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert .ppt/.pptx decks to PDF (DIR/<name>.pdf); exit 1 if any input failed.",
        discussion: """
            Each input is checked before LibreOffice sees it (type from its content, size, zip bombs, \
            encryption) and each PDF is checked after (complete, one page per visible slide). Prints one line \
            per input as it finishes, with the reason when it failed.
            """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var conversion: ConversionOptions

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Directory the PDFs are written to.", valueName: "dir"))
    var outputDirectory: String

    @Argument(help: ArgumentHelp("The decks to convert.", valueName: "input"))
    var inputs: [String]

    func validate() throws {
        if self.inputs.isEmpty { throw ValidationError("name at least one deck to convert") }
    }

    func run() async throws {
        _ = try self.common.settings()
        let logger = Logger(label: "attest.convert")
        let outputDirectory = URL(fileURLWithPath: self.outputDirectory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the output directory \(self.outputDirectory)")
        }
        let configuration = try self.conversion.poolConfiguration()
        let pool = try ConversionPool(configuration: configuration, logger: logger)

        // Plan: one output per input; two inputs with the same base name would overwrite each other.
        var plans: [(path: String, input: URL, output: URL)] = []
        var failures: [(String, String)] = []
        var taken: [String: String] = [:]
        for path in self.inputs {
            let input = URL(fileURLWithPath: path)
            let name = input.deletingPathExtension().lastPathComponent + ".pdf"
            if let first = taken[name] {
                failures.append((path, "its output \(name) would overwrite the PDF of \(first)"))
                continue
            }
            taken[name] = path
            plans.append((path, input, outputDirectory.appendingPathComponent(name)))
        }
        for (path, reason) in failures { print("FAILED \(path): \(reason)") }

        let total = self.inputs.count
        var done = failures.count
        var converted = 0
        let inFlight = configuration.hosts * 2
        do {
            try await pool.start()
        } catch {
            await pool.shutdown()
            print("FAILED: no conversion host could start: \(error)")
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
                    do {
                        return (
                            path, plan.output, .success(try await pool.convert(input: plan.input, output: plan.output))
                        )
                    } catch {
                        return (path, plan.output, .failure(error))
                    }
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
                    print(
                        "\(progress)ok \(path) -> \(output.path) (\(result.pages) \(result.pages == 1 ? "page" : "pages"), \(seconds) s)"
                    )
                case .failure(let error):
                    failures.append((path, "\(error)"))
                    print("\(progress)FAILED \(path): \(error)")
                }
                submit()
            }
        }
        await pool.shutdown()
        if total > 1 { print("converted \(converted) of \(total); \(total - converted) failed") }
        if converted < total { throw ExitCode(1) }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var secondsValue: Double {
        let parts = self.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
