// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Logging
import Synchronization

/// The pool's side of one host process: spawns it in its own process group, talks to it over two pipes, watches
/// its memory, and kills the whole group when it must.
///
/// All methods block; the owning `HostSlot` calls them on its own serial dispatch queue, one at a time.
final class HostProcess {
    /// Process id of the host; also its process group id.
    let pid: pid_t
    let profile: HostProfile
    private var requestDescriptor: Int32
    private var answerDescriptor: Int32
    private var buffer: [UInt8] = []
    private var reaped = false
    /// Conversions this host has answered.
    var conversions = 0
    /// Whether the host reported running in its own network namespace.
    private(set) var networkIsolated = false
    /// Why the host has no network namespace of its own, as it reported.
    private(set) var networkIsolationFailure: String?
    /// Resident memory when the host said it was ready.
    private(set) var startResidentBytes = 0

    private init(pid: pid_t, profile: HostProfile, requestDescriptor: Int32, answerDescriptor: Int32) {
        self.pid = pid
        self.profile = profile
        self.requestDescriptor = requestDescriptor
        self.answerDescriptor = answerDescriptor
    }

    /// A host released without `terminate()` or `kill()` is killed here, in every build: an `assert` would let the
    /// release build leave LibreOffice running with nobody to reap it.
    deinit {
        if !self.reaped {
            self.kill()
        } else {
            for descriptor in [self.requestDescriptor, self.answerDescriptor] where descriptor >= 0 { close(descriptor) }
        }
    }

    // MARK: - Starting

    /// Spawns `executable arguments…` with fds 3/4 wired to pipes, in a new process group, and waits for `ready`.
    static func start(
        executable: String,
        arguments: [String],
        environment: [String: String],
        profile: HostProfile,
        timeout: Duration,
        logger: Logger
    ) throws -> HostProcess {
        do {
            try profile.prepare()
        } catch {
            throw ConversionError(
                .hostStartFailed,
                "the host's profile directory cannot be prepared",
                underlying: error
            )
        }
        profile.removeLeftovers()
        // Pipes are made close-on-exec and the host spawned under one lock, so a host started by another slot at
        // the same moment never inherits this host's pipe ends (which would hide this host's death from us).
        let spawned: Result<(pid_t, Int32, Int32), ConversionError> = Self.spawnLock.withLock { _ in
            Self.spawn(executable: executable, arguments: arguments, environment: environment, profile: profile)
        }
        let (pid, requestDescriptor, answerDescriptor) = try spawned.get()
        let host = HostProcess(
            pid: pid,
            profile: profile,
            requestDescriptor: requestDescriptor,
            answerDescriptor: answerDescriptor
        )
        do {
            let ready = try host.awaitMessage(deadline: .now + timeout, memoryLimit: nil, isCancelled: { false })
            guard ready.kind == .ready, ready.ok else {
                throw ConversionError(
                    .hostStartFailed,
                    "the host could not load LibreOffice: \(ready.message ?? "no reason given")"
                )
            }
            host.networkIsolated = ready.networkIsolated ?? false
            host.networkIsolationFailure = ready.message
            host.startResidentBytes = ready.residentBytes ?? 0
            return host
        } catch let error as ConversionError {
            host.kill()
            logger.warning(
                "Conversion host failed to start",
                metadata: [
                    ConversionMetadataKey.hostPID: "\(host.pid)",
                    ConversionMetadataKey.reason: "\(error)",
                    ConversionMetadataKey.hostLog: "\(profile.logTail())",
                ]
            )
            switch error.code {
            case .timedOut:
                throw ConversionError(.hostStartFailed, "the host did not start within \(timeout)", underlying: error)
            case .hostCrashed:
                throw ConversionError(.hostStartFailed, "the host exited while starting", underlying: error)
            default:
                throw error
            }
        } catch {
            host.kill()
            throw ConversionError(.hostStartFailed, "the host could not be started", underlying: error)
        }
    }

    private static let spawnLock = Mutex<Void>(())

    private static func makePipe() -> (read: Int32, write: Int32)? {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { return nil }
        // Move both ends to 10 or above (close-on-exec), so the dup2 onto fds 3 and 4 in the child never
        // overwrites the other pipe's end.
        let moved = descriptors.map { fcntl($0, F_DUPFD_CLOEXEC, 10) }
        for descriptor in descriptors { close(descriptor) }
        guard moved.allSatisfy({ $0 >= 0 }) else {
            for descriptor in moved where descriptor >= 0 { close(descriptor) }
            return nil
        }
        return (moved[0], moved[1])
    }

    private static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        profile: HostProfile
    ) -> Result<(pid_t, Int32, Int32), ConversionError> {
        guard let requestPipe = Self.makePipe() else {
            return .failure(
                ConversionError(.hostStartFailed, "cannot create a pipe: \(String(cString: strerror(errno)))")
            )
        }
        guard let answerPipe = Self.makePipe() else {
            close(requestPipe.read)
            close(requestPipe.write)
            return .failure(
                ConversionError(.hostStartFailed, "cannot create a pipe: \(String(cString: strerror(errno)))")
            )
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, profile.logFile.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, requestPipe.read, ConversionHostServer.requestDescriptor)
        posix_spawn_file_actions_adddup2(&actions, answerPipe.write, ConversionHostServer.answerDescriptor)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(requestPipe.read)
        close(answerPipe.write)
        guard status == 0 else {
            close(requestPipe.write)
            close(answerPipe.read)
            return .failure(
                ConversionError(.hostStartFailed, "cannot start the host: \(String(cString: strerror(status)))")
            )
        }
        return .success((pid, requestPipe.write, answerPipe.read))
    }

    // MARK: - Talking

    /// Sends one request line.
    func send(_ request: HostRequest) throws {
        var data = try JSONEncoder().encode(request)
        data.append(0x0A)
        let ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = write(self.requestDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        guard ok else { throw ConversionError(.hostCrashed, "the host closed its request pipe") }
    }

    /// Waits for the next message until `deadline`, killing nothing itself: throws `timedOut`,
    /// `memoryLimitExceeded`, `cancelled` or `hostCrashed` and leaves the cleanup to the caller.
    func awaitMessage(
        deadline: ContinuousClock.Instant,
        memoryLimit: Int?,
        isCancelled: () -> Bool
    ) throws -> HostMessage {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = self.buffer.firstIndex(of: 0x0A) {
                let line = Array(self.buffer[..<newline])
                self.buffer.removeSubrange(...newline)
                do {
                    return try JSONDecoder().decode(HostMessage.self, from: Data(line))
                } catch {
                    throw ConversionError(.protocolViolation, "the host sent a malformed message", underlying: error)
                }
            }
            if ContinuousClock.now >= deadline {
                throw ConversionError(.timedOut, "the conversion did not finish within the timeout")
            }
            if isCancelled() {
                throw ConversionError(.cancelled, "the conversion was cancelled")
            }
            if let memoryLimit, let resident = ProcessInfoReader.residentBytes(of: self.pid), resident > memoryLimit {
                throw ConversionError(
                    .memoryLimitExceeded,
                    "LibreOffice used more than \(memoryLimit / 1_048_576) MiB on this document"
                )
            }
            var descriptor = pollfd(fd: self.answerDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                throw ConversionError(.hostCrashed, "cannot wait for the host: \(String(cString: strerror(errno)))")
            }
            guard ready > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { read(self.answerDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else {
                throw ConversionError(.hostCrashed, "the host exited during the conversion\(self.exitDescription())")
            }
            self.buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Whether the host process has ended or is ending (killed, crashed); reaps it when it can be reaped.
    ///
    /// A killed host with many threads (LibreOffice has dozens) is a zombie before it can be reaped: the kernel
    /// holds the thread-group leader back until every other thread has exited, so `waitpid` alone would call it
    /// alive and the next request would go to a process that is already gone.
    var hasExited: Bool {
        if self.reaped { return true }
        var status: Int32 = 0
        if waitpid(self.pid, &status, WNOHANG) == self.pid {
            self.reaped = true
            return true
        }
        return !ProcessInfoReader.isRunning(self.pid)
    }

    /// Resident memory of the host now, in bytes.
    var residentBytes: Int? {
        ProcessInfoReader.residentBytes(of: self.pid)
    }

    // MARK: - Stopping

    /// Asks the host to leave (closes its request pipe), waits up to `grace`, then kills its process group.
    func terminate(grace: Duration) {
        if self.requestDescriptor >= 0 {
            close(self.requestDescriptor)
            self.requestDescriptor = -1
        }
        let deadline = ContinuousClock.now + grace
        while !self.reaped, ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(self.pid, &status, WNOHANG) == self.pid {
                self.reaped = true
                break
            }
            usleep(20_000)
        }
        self.kill()
    }

    /// Kills the host's whole process group with SIGKILL, reaps the host, waits (briefly) until no member of the
    /// group is left, closes the pipes and removes the profile's lock leftovers.
    func kill() {
        Glibc.kill(-self.pid, SIGKILL)
        if !self.reaped {
            var status: Int32 = 0
            while waitpid(self.pid, &status, 0) < 0, errno == EINTR {}
            self.reaped = true
        }
        // Grandchildren are re-parented and reaped by init; wait until they are gone.
        let deadline = ContinuousClock.now + .seconds(5)
        while !ProcessInfoReader.members(ofGroup: self.pid).isEmpty, ContinuousClock.now < deadline {
            Glibc.kill(-self.pid, SIGKILL)
            usleep(20_000)
        }
        for descriptor in [self.requestDescriptor, self.answerDescriptor] where descriptor >= 0 {
            close(descriptor)
        }
        self.requestDescriptor = -1
        self.answerDescriptor = -1
        self.profile.removeLeftovers()
    }

    private func exitDescription() -> String {
        var status: Int32 = 0
        guard !self.reaped, waitpid(self.pid, &status, WNOHANG) == self.pid else { return "" }
        self.reaped = true
        let signal = status & 0x7F
        return signal == 0 ? " (exit status \((status >> 8) & 0xFF))" : " (killed by signal \(signal))"
    }
}
