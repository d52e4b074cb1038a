// Attest — certificates and documents you can verify. Apache-2.0.

import Dispatch
import Foundation
import Logging
import Synchronization

/// Memory and restart figures of one host slot, for benchmarks and metrics.
public struct HostStatistics: Sendable {
    /// Which slot (0-based).
    public var index: Int
    /// Conversions answered over the slot's life, across restarts.
    public var conversions: Int
    /// Hosts started in this slot, the first one included.
    public var starts: Int
    /// Resident memory of the first host when it was ready, in bytes.
    public var firstResidentBytes: Int
    /// Highest resident memory seen after any conversion, in bytes.
    public var peakResidentBytes: Int
    /// Resident memory of the current host now (0 when none runs), in bytes.
    public var currentResidentBytes: Int
}

/// A cancellation flag shared between an async caller and the blocking loop that waits for a host.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func cancel() { self.value.store(true, ordering: .relaxed) }
    var isCancelled: Bool { self.value.load(ordering: .relaxed) }
}

/// One place for a host in the pool: starts it when needed, drives one conversion at a time, kills and restarts it.
///
/// `@unchecked Sendable`: a handle box. Every mutable field is touched only by blocks running on `queue`, a
/// serial queue, and the pool hands a slot to one conversion at a time.
final class HostSlot: @unchecked Sendable {
    let index: Int
    let profile: HostProfile
    private let queue: DispatchQueue
    private let configuration: ConversionPool.Configuration
    private let logger: Logger
    private var host: HostProcess?
    private var nextRequestID = 0
    private var statistics: HostStatistics
    private var warnedAboutNetwork = false

    init(index: Int, configuration: ConversionPool.Configuration, logger: Logger) {
        self.index = index
        self.configuration = configuration
        self.profile = HostProfile(
            root: configuration.workDirectory.appendingPathComponent("host-\(index)", isDirectory: true)
        )
        self.queue = DispatchQueue(label: "attest.conversion.host-\(index)")
        var logger = logger
        logger[metadataKey: ConversionMetadataKey.hostIndex] = "\(index)"
        self.logger = logger
        self.statistics = HostStatistics(
            index: index,
            conversions: 0,
            starts: 0,
            firstResidentBytes: 0,
            peakResidentBytes: 0,
            currentResidentBytes: 0
        )
    }

    // MARK: - Async entry points (each runs one block on the slot's queue)

    /// Starts the host if none runs; a failed start is tried once more before the error is thrown.
    func start() async throws {
        try await self.onQueue {
            do {
                _ = try self.ensureHost()
            } catch {
                self.logger.info(
                    "Retrying conversion host start",
                    metadata: [ConversionMetadataKey.reason: "\(error)"]
                )
                _ = try self.ensureHost()
            }
        }
    }

    /// Converts the job directory's input to its output; returns the host's answer (which may be a failure).
    func convert(input: URL, output: URL) async throws -> HostMessage {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await self.onQueue { try self.convertBlocking(input: input, output: output, flag: flag) }
        } onCancel: {
            flag.cancel()
        }
    }

    /// Stops the host: asks it to leave, then kills its group. Waits behind a conversion in flight.
    func stop() async {
        _ = try? await self.onQueue {
            self.host?.terminate(grace: self.configuration.shutdownGrace)
            self.host = nil
        }
    }

    /// The slot's figures now.
    func currentStatistics() async -> HostStatistics {
        (try? await self.onQueue {
            var statistics = self.statistics
            statistics.currentResidentBytes = self.host?.residentBytes ?? 0
            return statistics
        }) ?? self.statistics
    }

    /// The current host's process id, if one runs (tests check the process table with it).
    func currentProcessID() async -> Int32? {
        try? await self.onQueue { self.host?.pid }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            self.queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    // MARK: - Blocking work (on `queue` only)

    private func ensureHost() throws -> HostProcess {
        if let host = self.host {
            // A host that died between conversions is replaced before a request is written to its closed pipe.
            guard host.hasExited else { return host }
            self.logger.info(
                "Conversion host exited between conversions; starting a new one",
                metadata: [ConversionMetadataKey.hostPID: "\(host.pid)"]
            )
            host.kill()
            self.host = nil
        }
        var arguments =
            self.configuration.hostArguments + [
                "--office-path", self.configuration.officeInstallPath,
                "--profile", self.profile.profileDirectory.path,
            ]
        if self.configuration.isolateNetwork { arguments.append("--isolate-network") }
        if let marker = self.configuration.hangMarker { arguments += ["--hang-if-exists", marker] }
        var environment = [
            "HOME": self.profile.homeDirectory.path,
            "TMPDIR": self.profile.temporaryDirectory.path,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp",
            "SAL_LOG": "-WARN-INFO",
        ]
        environment["ATTEST_LOG_LEVEL"] = "warning"
        let host = try HostProcess.start(
            executable: self.configuration.hostExecutable,
            arguments: arguments,
            environment: environment,
            profile: self.profile,
            timeout: self.configuration.startTimeout,
            logger: self.logger
        )
        self.host = host
        self.statistics.starts += 1
        if self.statistics.starts == 1 { self.statistics.firstResidentBytes = host.startResidentBytes }
        self.logger.debug(
            "Started conversion host",
            metadata: [
                ConversionMetadataKey.hostPID: "\(host.pid)",
                ConversionMetadataKey.hostResidentBytes: "\(host.startResidentBytes)",
            ]
        )
        if self.configuration.isolateNetwork, !host.networkIsolated, !self.warnedAboutNetwork {
            self.warnedAboutNetwork = true
            self.logger.warning(
                "Conversion host runs with network access; a new network namespace needs root",
                metadata: [
                    ConversionMetadataKey.hostPID: "\(host.pid)",
                    ConversionMetadataKey.reason: "\(host.networkIsolationFailure ?? "unknown")",
                ]
            )
        }
        return host
    }

    private func convertBlocking(input: URL, output: URL, flag: CancellationFlag) throws -> HostMessage {
        let host = try self.ensureHost()
        self.nextRequestID += 1
        let request = HostRequest(id: self.nextRequestID, input: input.path, output: output.path)
        let message: HostMessage
        do {
            try host.send(request)
            message = try host.awaitMessage(
                deadline: .now + self.configuration.conversionTimeout,
                memoryLimit: self.configuration.maxResidentBytes,
                isCancelled: { flag.isCancelled }
            )
            guard message.kind == .answer, message.id == request.id else {
                throw ConversionError(.protocolViolation, "the host answered a different request")
            }
        } catch let error as ConversionError {
            self.logger.info(
                "Killing conversion host",
                metadata: [
                    ConversionMetadataKey.hostPID: "\(host.pid)",
                    ConversionMetadataKey.reason: "\(error.code.rawValue)",
                ]
            )
            self.replaceHost()
            if error.code == .timedOut {
                throw ConversionError(
                    .timedOut,
                    "the conversion did not finish within \(self.configuration.conversionTimeout); its host was killed"
                )
            }
            throw error
        }
        host.conversions += 1
        self.statistics.conversions += 1
        let resident = message.residentBytes ?? host.residentBytes ?? 0
        self.statistics.peakResidentBytes = max(self.statistics.peakResidentBytes, resident)
        if host.conversions >= self.configuration.maxConversionsPerHost
            || resident > self.configuration.recycleResidentBytes
        {
            self.logger.debug(
                "Recycling conversion host",
                metadata: [
                    ConversionMetadataKey.hostPID: "\(host.pid)",
                    ConversionMetadataKey.hostConversions: "\(host.conversions)",
                    ConversionMetadataKey.hostResidentBytes: "\(resident)",
                ]
            )
            host.terminate(grace: self.configuration.shutdownGrace)
            self.host = nil
            self.scheduleRestart()
        }
        return message
    }

    /// Kills the current host's process group and starts a fresh host in the background (on the queue, so the
    /// next conversion waits for it rather than racing it).
    private func replaceHost() {
        self.host?.kill()
        self.host = nil
        self.scheduleRestart()
    }

    private func scheduleRestart() {
        self.queue.async {
            do {
                _ = try self.ensureHost()
            } catch {
                self.logger.warning(
                    "Conversion host could not be restarted",
                    metadata: [ConversionMetadataKey.reason: "\(error)"]
                )
            }
        }
    }
}
