// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestTestSupport
import Foundation
import Testing

/// The `attest` that `make run` builds, used as an operator uses it: `attest convert` over decks nobody here made,
/// many times in one process and in many processes, beside rendering and serving certificates. `make test` builds
/// and tests the release configuration, so this is the optimised binary: a defect of the optimiser (issue 18, a
/// task group's results lost in `-O`) fails here, not in front of a user.
@Suite("the shipped attest binary", .serialized)
struct ShippedBinaryTests {
    /// One line of `attest convert` output for an input that converted: `[k/n] ok INPUT -> OUTPUT (N pages, S s)`.
    struct ConvertedLine {
        var input: String
        var output: String
        var pages: Int
    }

    @Test("attest convert: every corpus deck twenty times in one invocation, one ok line per input, pages right")
    func corpusTwentyTimesInOneInvocation() async throws {
        let corpus = try Self.corpus()
        let directory = try PipelineTestSupport.temporaryDirectory("shipped-convert-one")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Twenty copies of each deck under distinct names, so no two inputs share an output.
        var inputs: [String] = []
        var expectedPages: [String: Int] = [:]
        for round in 1...20 {
            let folder = directory.appendingPathComponent("in/\(round)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (deck, pages) in corpus {
                let copy = folder.appendingPathComponent("\(round)-\(deck.lastPathComponent)")
                try FileManager.default.copyItem(at: deck, to: copy)
                inputs.append(copy.path)
                expectedPages[copy.path] = pages
            }
        }
        let out = directory.appendingPathComponent("out", isDirectory: true)
        let result = try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["convert", "--out-dir", out.path, "--"] + inputs
        )
        #expect(result.status == 0, "exit \(result.status):\n\(result.standardOutput.prefix(4_000))\n\(result.standardError)")
        let lines = try Self.convertedLines(result.standardOutput, inputs: inputs.count)
        let unconverted = Set(inputs).subtracting(lines.map(\.input))
        #expect(unconverted.isEmpty, "\(unconverted.count) inputs have no ok line:\n\(result.standardOutput.prefix(4_000))")
        #expect(result.standardOutput.contains("converted \(inputs.count) of \(inputs.count); 0 failed"))
        for line in lines {
            #expect(line.pages == expectedPages[line.input], "\(line.input) printed \(line.pages) pages")
        }
        // The PDFs themselves, read by poppler: one of each deck (the copies are the same bytes).
        for line in lines where line.input.contains("/in/1/") {
            #expect(try await Self.pdfPages(line.output) == expectedPages[line.input], "\(line.output)")
        }
    }

    @Test("attest convert: the whole corpus in twenty invocations in a row, each exit 0 with one line per deck")
    func corpusInTwentyInvocations() async throws {
        let corpus = try Self.corpus()
        let directory = try PipelineTestSupport.temporaryDirectory("shipped-convert-many")
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputs = corpus.map(\.deck.path)
        for run in 1...20 {
            let out = directory.appendingPathComponent("out-\(run)", isDirectory: true)
            let result = try await RunningProcess.run(
                try IntegrationEnvironment.attestExecutable,
                arguments: ["convert", "--out-dir", out.path, "--"] + inputs
            )
            #expect(result.status == 0, "run \(run): exit \(result.status):\n\(result.standardOutput)\n\(result.standardError)")
            let lines = try Self.convertedLines(result.standardOutput, inputs: inputs.count)
            let unconverted = Set(inputs).subtracting(lines.map(\.input))
            #expect(unconverted.isEmpty, "run \(run): no ok line for \(unconverted.sorted()):\n\(result.standardOutput)")
            for (deck, pages) in corpus {
                #expect(lines.first { $0.input == deck.path }?.pages == pages, "run \(run): \(deck.lastPathComponent)")
            }
            try? FileManager.default.removeItem(at: out)
        }
    }

    @Test("attest convert: a bad input gets a FAILED line naming it and its reason, the good ones still convert, exit 1")
    func failureNamesItsInput() async throws {
        let corpus = try Self.corpus()
        let directory = try PipelineTestSupport.temporaryDirectory("shipped-convert-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let garbage = directory.appendingPathComponent("garbage.pptx")
        try Data((0..<20_000).map { _ in UInt8.random(in: 0...255) }).write(to: garbage)
        let missing = directory.appendingPathComponent("missing.ppt")
        let good = corpus.prefix(3).map(\.deck.path)
        let inputs = [good[0], garbage.path, good[1], missing.path, good[2]]
        let result = try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["convert", "--out-dir", directory.appendingPathComponent("out").path, "--"] + inputs
        )
        #expect(result.status == 1, "\(result.standardOutput)\n\(result.standardError)")
        let output = result.standardOutput.split(separator: "\n").map(String.init)
        for bad in [garbage.path, missing.path] {
            let line = output.first { $0.contains("FAILED \(bad): ") }
            #expect(line != nil, "no FAILED line for \(bad):\n\(result.standardOutput)")
            #expect((line?.count ?? 0) > "FAILED \(bad): ".count + 10, "no reason for \(bad): \(line ?? "")")
        }
        #expect(Set(try Self.convertedLines(result.standardOutput, inputs: inputs.count).map(\.input)) == Set(good))
        #expect(output.last == "converted 3 of 5; 2 failed", "\(result.standardOutput)")
    }

    @Test("attest convert: when nothing can convert (no LibreOffice, no output directory), every input still gets its line")
    func setupFailureNamesEveryInput() async throws {
        let inputs = try Self.corpus().prefix(3).map(\.deck.path)
        let directory = try PipelineTestSupport.temporaryDirectory("shipped-convert-setup")
        defer { try? FileManager.default.removeItem(at: directory) }
        let noOffice = try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["convert", "--out-dir", directory.path, "--"] + inputs,
            environment: ["ATTEST_OFFICE_PATH": directory.appendingPathComponent("no-office").path]
        )
        let blocker = directory.appendingPathComponent("a-file")
        try Data("not a directory".utf8).write(to: blocker)
        let noDirectory = try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["convert", "--out-dir", blocker.appendingPathComponent("out").path, "--"] + inputs
        )
        for (result, reason) in [(noOffice, "no conversion host could start"), (noDirectory, "cannot be created")] {
            #expect(result.status == 1, "\(result.standardOutput)\n\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.count == inputs.count, "\(result.standardOutput)")
            for input in inputs {
                #expect(lines.contains { $0.hasPrefix("FAILED \(input): ") && $0.contains(reason) }, "\(result.standardOutput)")
            }
        }
    }

    @Test("the same binary renders certificates with a worker and serves their pages and PDFs", .requiresDatabase)
    func rendersAndServes() async throws {
        let names = Array(PipelineTestSupport.names.prefix(4))
        try await ServedCertificates.with(names: names) { served, certificates, _ in
            #expect(certificates.count == names.count)
            for certificate in certificates {
                let code = certificate.verificationCode
                let page = try await ServedCertificates.fetch("\(served.baseURL)/v/\(code)")
                #expect(page.status == 200)
                #expect(String(decoding: page.body, as: UTF8.self).contains(certificate.learnerName))
                let pdf = try await ServedCertificates.fetch("\(served.baseURL)/v/\(code)/certificate.pdf")
                #expect(pdf.status == 200)
                #expect(pdf.body.starts(with: Data("%PDF-".utf8)))
            }
        }
    }

    // MARK: - Helpers

    /// The shared corpus's decks with the pages each must convert to (`Tests/Corpus/powerpoint-pages.tsv`).
    static func corpus() throws -> [(deck: URL, pages: Int)] {
        let root = IntegrationEnvironment.repositoryRoot
        let folder = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/powerpoint", isDirectory: true)
        let table = try String(
            contentsOf: root.appendingPathComponent("Tests/Corpus/powerpoint-pages.tsv"),
            encoding: .utf8
        )
        let decks = try table.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let pages = Int(fields[1]) else {
                throw TestSupportError("Tests/Corpus/powerpoint-pages.tsv: bad line \"\(line)\"")
            }
            return (deck: folder.appendingPathComponent(String(fields[0])), pages: pages)
        }
        for (deck, _) in decks where !FileManager.default.fileExists(atPath: deck.path) {
            throw TestSupportError("\(deck.path) is missing: the tests need ../shared beside the repository")
        }
        return decks
    }

    /// The `ok` lines of `attest convert` output, which must hold one line per input and nothing else.
    static func convertedLines(_ output: String, inputs: Int) throws -> [ConvertedLine] {
        let lines = output.split(separator: "\n").map(String.init)
        let perInput = lines.filter { !$0.hasPrefix("converted ") }
        #expect(perInput.count == inputs, "expected \(inputs) lines, one per input:\n\(output.prefix(4_000))")
        return lines.compactMap { line in
            guard let match = line.firstMatch(of: /^(?:\[\d+\/\d+\] )?ok (.+) -> (.+) \((\d+) pages?, [0-9.]+ s\)$/),
                let pages = Int(match.output.3)
            else { return nil }
            return ConvertedLine(input: String(match.output.1), output: String(match.output.2), pages: pages)
        }
    }

    /// Pages of a PDF as poppler's `pdfinfo` counts them.
    static func pdfPages(_ path: String) async throws -> Int? {
        guard let pdfinfo = RunningProcess.which("pdfinfo") else {
            throw TestSupportError("pdfinfo is needed: run scripts/bootstrap")
        }
        let info = try await RunningProcess.run(pdfinfo, arguments: [path])
        return info.standardOutput.firstMatch(of: /Pages:\s+(\d+)/).flatMap { Int($0.output.1) }
    }
}
