// Attest — certificates and documents you can verify. Apache-2.0.

import AttestTestSupport
import Foundation
import ServiceLifecycle
import Testing

@testable import AttestConversion

/// The pool with the real LibreOffice: fixture decks, hostile inputs, hangs, parallel hosts, recycling.
@Suite("ConversionPool with LibreOffice", .serialized, .enabled(if: TestEnvironment.runIntegration))
struct ConversionPoolTests {
    // MARK: - Helpers

    /// Runs `body` with a started pool and shuts it down afterwards, whatever happens.
    private func withPool<T>(
        _ configuration: ConversionPool.Configuration? = nil,
        hosts: Int = 1,
        _ body: (ConversionPool, URL) async throws -> T
    ) async throws -> T {
        let configuration = try configuration ?? TestEnvironment.configuration(hosts: hosts)
        let pool = try ConversionPool(configuration: configuration, logger: TestEnvironment.logger)
        let scratch = try TestEnvironment.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try await pool.start()
            let result = try await body(pool, scratch)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    private func fixture(_ name: String) async throws -> URL {
        try await FixtureDecks.shared.directory().appendingPathComponent(name)
    }

    private func write(_ bytes: [UInt8], named name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    private func expectFailure(
        _ code: ConversionError.Code,
        pool: ConversionPool,
        input: URL,
        scratch: URL,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let output = scratch.appendingPathComponent("failed.pdf")
        do {
            let result = try await pool.convert(input: input, output: output)
            Issue.record("expected \(code), converted to \(result.pages) pages", sourceLocation: sourceLocation)
        } catch let error as ConversionError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: output.path), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Converts a good deck to prove the pool still works.
    private func expectHealthy(_ pool: ConversionPool, scratch: URL, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let result = try await pool.convert(
            input: try await self.fixture("text.pptx"),
            output: scratch.appendingPathComponent("healthy.pdf")
        )
        #expect(result.pages == 3, sourceLocation: sourceLocation)
    }

    private static func pdfPages(_ url: URL) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: url))
        return try PDFInspector.pageCount(of: bytes)
    }

    // MARK: - Tests

    @Test("LibreOffice is installed when REQUIRE_INTEGRATION=1")
    func requiredIntegration() {
        if TestEnvironment.integrationRequired {
            #expect(TestEnvironment.officeInstalled, "REQUIRE_INTEGRATION=1 but LibreOffice is not installed")
        }
        #expect(TestEnvironment.attestExecutable != nil, "the attest executable must be built next to the tests")
    }

    @Test("decks made here (text, table, image, chart, notes, hidden slides, 50 slides) convert, as .pptx and .ppt")
    func fixtureDecks() async throws {
        try await self.withPool(hosts: 2) { pool, scratch in
            let directory = try await FixtureDecks.shared.directory()
            try await withThrowingTaskGroup(of: (String, Int, ConversionResult).self) { group in
                for deck in FixtureDecks.decks {
                    for format in ["pptx", "ppt"] {
                        let input = directory.appendingPathComponent("\(deck.name).\(format)")
                        let output = scratch.appendingPathComponent("\(deck.name)-\(format).pdf")
                        group.addTask {
                            // Awaited before the tuple is built: see ConvertCommand (a Swift 6.3 optimiser defect).
                            let result = try await pool.convert(input: input, output: output)
                            return (deck.name + "." + format, deck.visibleSlides, result)
                        }
                    }
                }
                var converted = 0
                for try await (name, expected, result) in group {
                    converted += 1
                    #expect(result.pages == expected, "\(name)")
                    #expect(result.format.rawValue == name.split(separator: ".").last.map(String.init))
                    let pdf = scratch.appendingPathComponent(name.replacingOccurrences(of: ".", with: "-") + ".pdf")
                    #expect(try Self.pdfPages(pdf) == expected, "\(name)")
                }
                #expect(converted == FixtureDecks.decks.count * 2)
            }
            // The chart deck really holds a chart (a chart part in the .pptx), not a picture of one.
            let chart = try ZipArchive(
                bytes: [UInt8](try Data(contentsOf: directory.appendingPathComponent("chart.pptx")))
            )
            #expect(chart.members.contains { $0.name.hasPrefix("ppt/charts/chart") })
            let hidden = try await pool.convert(
                input: directory.appendingPathComponent("hidden.pptx"),
                output: scratch.appendingPathComponent("hidden-again.pdf")
            )
            #expect(hidden.slides == 5)
            #expect(hidden.pages == 3)
        }
    }

    @Test("a deck with zero slides and password-protected decks are reported as such")
    func zeroSlidesAndPasswords() async throws {
        try await self.withPool { pool, scratch in
            // Zero slides: the text deck with its slide list emptied.
            let text = [UInt8](try Data(contentsOf: try await self.fixture("text.pptx")))
            let archive = try ZipArchive(bytes: text)
            var entries: [ZipWriter.Entry] = []
            for member in archive.members {
                var data = try archive.contents(of: member)
                if member.name == "ppt/presentation.xml" {
                    let xml = String(decoding: data, as: UTF8.self)
                    let emptied = xml.replacingOccurrences(
                        of: "<p:sldIdLst>.*</p:sldIdLst>",
                        with: "",
                        options: .regularExpression
                    )
                    #expect(emptied != xml)
                    data = Array(emptied.utf8)
                }
                entries.append(ZipWriter.Entry(name: member.name, data: data))
            }
            let empty = try self.write(ZipWriter.archive(entries), named: "empty-deck.pptx", in: scratch)
            await self.expectFailure(.noSlides, pool: pool, input: empty, scratch: scratch)

            // Password-protected OOXML: the OLE container Office writes around an encrypted package.
            let encrypted = CompoundFileWriter.file(streams: [
                ("EncryptionInfo", [UInt8](repeating: 4, count: 4096)),
                ("EncryptedPackage", [UInt8](repeating: 9, count: 8192)),
            ])
            let locked = try self.write(encrypted, named: "locked.pptx", in: scratch)
            await self.expectFailure(.passwordProtected, pool: pool, input: locked, scratch: scratch)

            // Password-protected .ppt: the current-user record carries the "encrypted" header token.
            var ppt = [UInt8](try Data(contentsOf: try await self.fixture("text.ppt")))
            let token: [UInt8] = [0x5F, 0xC0, 0x91, 0xE3]
            let position = try #require(
                (0..<(ppt.count - 4)).first { ppt[$0..<($0 + 4)].elementsEqual(token) }
            )
            ppt.replaceSubrange(position..<(position + 4), with: [0xDF, 0xC4, 0xD1, 0xF3])
            let lockedPPT = try self.write(ppt, named: "locked.ppt", in: scratch)
            await self.expectFailure(.passwordProtected, pool: pool, input: lockedPPT, scratch: scratch)

            try await self.expectHealthy(pool, scratch: scratch)
        }
    }

    @Test("bad inputs fail clearly and the pool stays healthy; odd file names convert")
    func badInputs() async throws {
        try await self.withPool { pool, scratch in
            let text = [UInt8](try Data(contentsOf: try await self.fixture("text.pptx")))
            let clock = ContinuousClock()

            let cases: [(String, [UInt8], ConversionError.Code)] = [
                ("truncated.pptx", Array(text.prefix(text.count / 2)), .damagedInput),
                (
                    "random.pptx", (0..<200_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 7) },
                    .unsupportedType
                ),
                ("empty.pptx", [], .emptyInput),
                (
                    "bomb.pptx",
                    DeckInspectorTests.minimalPackage(
                        slides: [false],
                        extra: [
                            ZipWriter.Entry(
                                name: "ppt/media/bomb.bin",
                                data: [UInt8](repeating: 0, count: 64 << 20),
                                deflate: true
                            )
                        ]
                    ),
                    .zipBomb
                ),
            ]
            for (name, bytes, code) in cases {
                let started = clock.now
                await self.expectFailure(
                    code,
                    pool: pool,
                    input: try self.write(bytes, named: name, in: scratch),
                    scratch: scratch
                )
                #expect(clock.now - started < .seconds(10), "\(name)")
                try await self.expectHealthy(pool, scratch: scratch)
            }

            // Slide XML that is garbage passes the pre-flight check: LibreOffice either renders empty slides (the
            // page count still has to match) or fails; either way the answer is clear and the pool survives.
            let archive = try ZipArchive(bytes: text)
            var entries: [ZipWriter.Entry] = []
            for member in archive.members {
                let data =
                    member.name.hasPrefix("ppt/slides/slide")
                    ? Array("<p:sld><<<".utf8) : try archive.contents(of: member)
                entries.append(ZipWriter.Entry(name: member.name, data: data))
            }
            let garbled = try self.write(ZipWriter.archive(entries), named: "garbled.pptx", in: scratch)
            do {
                let result = try await pool.convert(
                    input: garbled,
                    output: scratch.appendingPathComponent("garbled.pdf")
                )
                #expect(result.pages == 3)
            } catch let error as ConversionError {
                #expect([.loadFailed, .pageCountMismatch, .invalidOutput].contains(error.code), "\(error)")
            }
            try await self.expectHealthy(pool, scratch: scratch)

            // Names LibreOffice or a shell could misread: the pool never passes them on.
            for name in ["-starts-with-dash.pptx", #"quo"te's ünïcødé 名前.pptx"#] {
                let input = try self.write(text, named: name, in: scratch)
                let output = scratch.appendingPathComponent(name + ".pdf")
                let result = try await pool.convert(input: input, output: output)
                #expect(result.pages == 3)
                #expect(try Self.pdfPages(output) == 3)
            }
        }
    }

    @Test("a host that never answers is killed at the timeout with its whole process group; the next job works")
    func hangingHost() async throws {
        let marker = try TestEnvironment.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: marker) }
        let hang = marker.appendingPathComponent("hang")
        var configuration = try TestEnvironment.configuration()
        // Long enough for the healthy conversion afterwards on a loaded machine (it gets the same timeout).
        configuration.conversionTimeout = .seconds(8)
        configuration.hangMarker = hang.path
        try await self.withPool(configuration) { pool, scratch in
            let before = try #require(await pool.hostProcessIDs().first)
            try Data().write(to: hang)
            let clock = ContinuousClock()
            let started = clock.now
            await self.expectFailure(
                .timedOut,
                pool: pool,
                input: try await self.fixture("text.pptx"),
                scratch: scratch
            )
            // Bounded by the timeout, not by the hang: generous, so only a kill that never comes fails here.
            #expect(clock.now - started < .seconds(40))
            // The hung host and the child it started (a `sleep`, standing in for a helper process) are gone.
            #expect(ProcessInfoReader.members(ofGroup: before).isEmpty)
            #expect(!Self.isAlive(before))
            #expect(Self.processes(mentioning: "sleep 3600").isEmpty)
            try await self.expectHealthy(pool, scratch: scratch)
            let after = try #require(await pool.hostProcessIDs().first)
            #expect(after != before)
            // Only the new host mentions the pool's work directory on its command line.
            let workers = Self.processes(mentioning: "conversion-host")
            #expect(!workers.contains(before))
            #expect(Self.processes(mentioning: "soffice.bin").isEmpty)
        }
    }

    @Test("a deck with one 20-million-character text run is stopped by the memory cap; the next job works")
    func hugeTextRun() async throws {
        var configuration = try TestEnvironment.configuration()
        configuration.recycleResidentBytes = 512 << 20
        configuration.maxResidentBytes = 768 << 20
        configuration.conversionTimeout = .seconds(90)
        try await self.withPool(configuration) { pool, scratch in
            let archive = try ZipArchive(bytes: [UInt8](try Data(contentsOf: try await self.fixture("text.pptx"))))
            var state: UInt32 = 1
            let letters = Array("abcdefghij klmnopqrstuvwxyz".utf8)
            let run: [UInt8] = (0..<20_000_000).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return letters[Int(state >> 16) % letters.count]
            }
            var entries: [ZipWriter.Entry] = []
            var replaced = false
            for member in archive.members {
                var data = try archive.contents(of: member)
                if member.name == "ppt/slides/slide1.xml", let range = data.firstRange(of: Array("<a:t>".utf8)) {
                    data.insert(contentsOf: run, at: range.upperBound)
                    replaced = true
                }
                entries.append(ZipWriter.Entry(name: member.name, data: data))
            }
            #expect(replaced)
            let input = try self.write(ZipWriter.archive(entries), named: "huge-run.pptx", in: scratch)
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let result = try await pool.convert(input: input, output: scratch.appendingPathComponent("huge.pdf"))
                Issue.record("the huge text run converted to \(result.pages) pages")
            } catch let error as ConversionError {
                #expect([.memoryLimitExceeded, .timedOut].contains(error.code), "\(error)")
            }
            #expect(clock.now - started < .seconds(95))
            try await self.expectHealthy(pool, scratch: scratch)
        }
    }

    @Test("two conversions in parallel on two hosts, each with its own profile")
    func parallelHosts() async throws {
        try await self.withPool(hosts: 2) { pool, scratch in
            let a = try await self.fixture("fifty.pptx")
            let b = try await self.fixture("fifty.ppt")
            async let first = pool.convert(input: a, output: scratch.appendingPathComponent("a.pdf"))
            async let second = pool.convert(input: b, output: scratch.appendingPathComponent("b.pdf"))
            let (one, two) = try await (first, second)
            #expect(one.pages == 50)
            #expect(two.pages == 50)
            #expect(one.hostProcessID != two.hostProcessID)
            #expect(Set(await pool.hostProcessIDs()).count == 2)
        }
    }

    @Test("a host killed between two conversions is replaced before the next request, which converts on a fresh host")
    func hostKilledBetweenConversions() async throws {
        try await self.withPool { pool, scratch in
            try await self.expectHealthy(pool, scratch: scratch)
            let before = try #require(await pool.hostProcessIDs().first)
            kill(before, SIGKILL)
            // The slot reaps its host, so the killed one stays a zombie until the next request looks at it.
            let deadline = ContinuousClock.now + .seconds(60)
            while Self.isAlive(before), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!Self.isAlive(before), "the host survived SIGKILL")
            try await self.expectHealthy(pool, scratch: scratch)
            let after = try #require(await pool.hostProcessIDs().first)
            #expect(after != before)
        }
    }

    @Test("a cancelled conversion kills its host; the next job works")
    func cancellation() async throws {
        let marker = try TestEnvironment.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: marker) }
        let hang = marker.appendingPathComponent("hang")
        var configuration = try TestEnvironment.configuration()
        configuration.hangMarker = hang.path
        try await self.withPool(configuration) { pool, scratch in
            let before = try #require(await pool.hostProcessIDs().first)
            try Data().write(to: hang)
            let input = try await self.fixture("text.pptx")
            let task = Task { try await pool.convert(input: input, output: scratch.appendingPathComponent("c.pdf")) }
            // Time for the job to reach the host, which then hangs on the marker.
            try await Task.sleep(for: .seconds(3))
            task.cancel()
            let clock = ContinuousClock()
            let started = clock.now
            let error = await #expect(throws: ConversionError.self) { try await task.value }
            #expect(error?.code == .cancelled)
            // Generous: only a cancellation that never ends the conversion fails here.
            #expect(clock.now - started < .seconds(30))
            #expect(!Self.isAlive(before))
            try await self.expectHealthy(pool, scratch: scratch)
        }
    }

    @Test("as a ServiceLifecycle service the pool starts its hosts and removes everything at graceful shutdown")
    func serviceLifecycle() async throws {
        let configuration = try TestEnvironment.configuration(hosts: 2)
        let pool = try ConversionPool(configuration: configuration, logger: TestEnvironment.logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [pool], logger: TestEnvironment.logger)
        )
        let scratch = try TestEnvironment.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // convert waits for the hosts the service starts.
            let result = try await pool.convert(
                input: try await self.fixture("notes.ppt"),
                output: scratch.appendingPathComponent("notes.pdf")
            )
            #expect(result.pages == 2)
            var hosts: [Int32] = []
            for _ in 0..<100 where hosts.count < 2 {
                hosts = await pool.hostProcessIDs()
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(hosts.count == 2)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            for pid in hosts { #expect(!Self.isAlive(pid)) }
            #expect(!FileManager.default.fileExists(atPath: configuration.workDirectory.path))
        }
        let error = await #expect(throws: ConversionError.self) {
            try await pool.convert(
                input: try await self.fixture("notes.ppt"),
                output: scratch.appendingPathComponent("x.pdf")
            )
        }
        #expect(error?.code == .shutDown)
    }

    @Test("hosts are recycled after the configured number of conversions")
    func recycling() async throws {
        var configuration = try TestEnvironment.configuration()
        configuration.maxConversionsPerHost = 2
        try await self.withPool(configuration) { pool, scratch in
            var pids: [Int32] = []
            for index in 0..<3 {
                let result = try await pool.convert(
                    input: try await self.fixture("table.pptx"),
                    output: scratch.appendingPathComponent("r\(index).pdf")
                )
                pids.append(result.hostProcessID)
            }
            #expect(pids[0] == pids[1])
            #expect(pids[2] != pids[1])
            #expect(!Self.isAlive(pids[0]))
            let statistics = await pool.statistics()
            #expect(statistics.first?.starts == 2)
            #expect(statistics.first?.conversions == 3)
        }
    }

    @Test("hosts run in their own network namespace when the tests run as root")
    func networkNamespace() async throws {
        try await self.withPool { pool, _ in
            let pid = try #require(await pool.hostProcessIDs().first)
            let mine = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
            let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
            if geteuid() == 0 {
                #expect(mine != host)
            } else {
                #expect(mine == host)
            }
        }
    }

    // MARK: - Process table

    private static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    /// Live processes whose command line contains `text`.
    private static func processes(mentioning text: String) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard pid != getpid(), self.isAlive(pid),
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return command.contains(text)
        }
    }
}
