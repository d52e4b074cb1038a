// Attest — certificates and documents you can verify. Apache-2.0.

import Dispatch
public import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Converts PowerPoint decks to PDF with a bounded set of warm, supervised LibreOfficeKit host processes.
///
/// Use it as a ServiceLifecycle `Service` (`run()` starts the hosts and stops them at graceful shutdown), or call
/// `start()` and `shutdown()` yourself. `convert(input:output:)` may be called from many tasks at once; at most
/// `Configuration.hosts` conversions run at a time and the others wait their turn.
public final class ConversionPool: Service, Sendable {
    private let configuration: Configuration
    private let logger: Logger
    private let slots: [HostSlot]
    private let broker: SlotBroker
    private let inspector: DeckInspector
    /// Whether the pool is shut down, how many conversions are in flight, and who waits for them to finish.
    private let admission = Mutex<(closed: Bool, inFlight: Int, drained: [CheckedContinuation<Void, Never>])>(
        (false, 0, [])
    )

    /// Creates the pool; starts nothing. Throws `invalidConfiguration` when the configuration is out of range.
    public init(configuration: Configuration, logger: Logger) throws {
        try configuration.validate()
        do {
            try FileManager.default.createDirectory(
                at: configuration.workDirectory.appendingPathComponent("jobs", isDirectory: true),
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ConversionError(.invalidConfiguration, "the work directory cannot be created", underlying: error)
        }
        self.configuration = configuration
        self.logger = logger
        self.slots = (0..<configuration.hosts).map { HostSlot(index: $0, configuration: configuration, logger: logger) }
        self.broker = SlotBroker(slots: self.slots, maxWaiting: configuration.maxWaiting)
        self.inspector = DeckInspector(limits: configuration.inspectorLimits)
    }

    // MARK: - Lifecycle

    /// Starts every host and waits until all are ready; throws `hostStartFailed` when one cannot start.
    public func start() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slot in self.slots {
                group.addTask { try await slot.start() }
            }
            try await group.waitForAll()
        }
    }

    /// The `Service` entry point: starts the hosts, waits for graceful shutdown, then stops them.
    public func run() async throws {
        try await self.start()
        try? await gracefulShutdown()
        await self.shutdown()
    }

    /// Refuses new conversions, lets the ones in flight finish (waiting ones included), stops every host and
    /// deletes the work directory.
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = self.admission.withLock { state -> Bool in
                state.closed = true
                if state.inFlight == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
        await self.broker.close()
        await withTaskGroup(of: Void.self) { group in
            for slot in self.slots {
                group.addTask { await slot.stop() }
            }
        }
        try? FileManager.default.removeItem(at: self.configuration.workDirectory)
    }

    /// Memory and restart figures of every host slot.
    public func statistics() async -> [HostStatistics] {
        var all: [HostStatistics] = []
        for slot in self.slots { all.append(await slot.currentStatistics()) }
        return all
    }

    /// Process ids of the hosts running now (one per started slot).
    public func hostProcessIDs() async -> [Int32] {
        var all: [Int32] = []
        for slot in self.slots {
            if let pid = await slot.currentProcessID() { all.append(pid) }
        }
        return all
    }

    // MARK: - Converting

    /// Converts the deck at `input` to a PDF at `output` (replaced atomically), or throws a `ConversionError`.
    ///
    /// The input is checked first (type from its content, size, zip limits, encryption, slide count) and copied
    /// into a private job directory under a fixed name; the PDF counts as a success only when it is complete and
    /// has one page per visible slide.
    public func convert(input: URL, output: URL) async throws -> ConversionResult {
        let admitted = self.admission.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.inFlight += 1
            return true
        }
        guard admitted else { throw ConversionError(.shutDown, "the conversion pool is shut down") }
        defer {
            let waiters = self.admission.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.inFlight -= 1
                guard state.inFlight == 0 else { return [] }
                defer { state.drained = [] }
                return state.drained
            }
            for waiter in waiters { waiter.resume() }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let inspector = self.inspector
        let inspection = try await Self.blocking { try inspector.inspect(input) }
        let inspectionDuration = clock.now - started

        let job = self.configuration.workDirectory
            .appendingPathComponent("jobs", isDirectory: true)
            .appendingPathComponent(UUID().uuidString, isDirectory: true)
        let jobInput = job.appendingPathComponent("input.\(inspection.format.fileExtension)")
        let jobOutput = job.appendingPathComponent("output.pdf")
        do {
            try FileManager.default.createDirectory(at: job, withIntermediateDirectories: false)
            try Data(inspection.bytes).write(to: jobInput)
        } catch {
            try? FileManager.default.removeItem(at: job)
            throw ConversionError(.outputFailed, "the job directory cannot be written", underlying: error)
        }
        defer { try? FileManager.default.removeItem(at: job) }

        let waitStarted = clock.now
        let slot = try await self.broker.acquire()
        let queueDuration = clock.now - waitStarted
        let message: HostMessage
        do {
            message = try await slot.convert(input: jobInput, output: jobOutput)
        } catch {
            await self.broker.release(slot)
            self.logFailure(error, format: inspection.format)
            throw error
        }
        await self.broker.release(slot)

        do {
            guard message.ok else {
                let code = message.code.flatMap(ConversionError.Code.init(rawValue:)) ?? .loadFailed
                var text = message.message ?? "LibreOffice failed without a reason"
                if code == .loadFailed {
                    text += " (the file may be damaged, or protected by a password)"
                }
                throw ConversionError(code, text)
            }
            let pdf = try await Self.blocking { () throws -> [UInt8] in
                guard let data = FileManager.default.contents(atPath: jobOutput.path) else {
                    throw ConversionError(.invalidOutput, "LibreOffice reported success but wrote no PDF")
                }
                return [UInt8](data)
            }
            let pages = try PDFInspector.pageCount(of: pdf)
            guard pages == inspection.visibleSlides else {
                throw ConversionError(
                    .pageCountMismatch,
                    "the PDF has \(pages) pages but the deck has \(inspection.visibleSlides) visible slides"
                )
            }
            try await Self.blocking { try Self.place(jobOutput, at: output) }
            let result = ConversionResult(
                format: inspection.format,
                pages: pages,
                slides: inspection.slides,
                outputBytes: pdf.count,
                duration: clock.now - started,
                officeDuration: .seconds(message.officeSeconds ?? 0),
                inspectionDuration: inspectionDuration,
                queueDuration: queueDuration,
                hostResidentBytes: message.residentBytes ?? 0,
                hostProcessID: message.processID
            )
            self.logger.debug(
                "Converted deck",
                metadata: [
                    ConversionMetadataKey.format: "\(inspection.format.rawValue)",
                    ConversionMetadataKey.pages: "\(pages)",
                    ConversionMetadataKey.durationSeconds: "\(result.duration.seconds)",
                    ConversionMetadataKey.hostPID: "\(message.processID)",
                ]
            )
            return result
        } catch {
            self.logFailure(error, format: inspection.format)
            throw error
        }
    }

    // MARK: - Helpers

    private func logFailure(_ error: any Error, format: DeckFormat) {
        let code = (error as? ConversionError)?.code.rawValue ?? "unknown"
        self.logger.debug(
            "Conversion failed",
            metadata: [
                ConversionMetadataKey.format: "\(format.rawValue)",
                ConversionMetadataKey.errorCode: "\(code)",
                ConversionMetadataKey.reason: "\(error)",
            ]
        )
    }

    /// Moves the checked PDF to its destination through a temporary file in the same directory and a rename.
    private static func place(_ source: URL, at destination: URL) throws {
        let directory = destination.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(UUID().uuidString).attest-tmp")
        do {
            try FileManager.default.copyItem(at: source, to: temporary)
            if rename(temporary.path, destination.path) != 0 {
                throw ConversionError(.outputFailed, "cannot rename: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? ConversionError { throw error }
            throw ConversionError(.outputFailed, "the PDF cannot be written to the output directory", underlying: error)
        }
    }

    /// Runs blocking file work on a dispatch queue, off the cooperative thread pool.
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
