// Attest — certificates and documents you can verify. Apache-2.0.

internal import CLibPQ
import Glibc
public import Logging
import NIOPosix

/// Receives `NOTIFY`s on a dedicated connection, waiting on its socket with `poll` (never busy-polling).
///
/// If the connection breaks, the next `next(timeout:)` reconnects and listens again; notifications sent
/// while it was down are lost, so callers also poll their source on a slow timer.
/// `@unchecked Sendable` because it is a handle box: one task at a time calls `next`; `cancelWait` only
/// writes to an eventfd, which is safe from any thread.
public final class PGListener: @unchecked Sendable {
    private let connectionString: String
    private let channels: [String]
    private let logger: Logger
    /// A one-thread pool: the listener's long waits never hold a thread that queries need.
    private let threadPool: NIOThreadPool
    private var connection: PGConnection?
    /// A pipe whose write end wakes a `poll` early when the waiting task is cancelled.
    private let wakeReadDescriptor: Int32
    private let wakeWriteDescriptor: Int32

    /// Connects and runs `LISTEN` on every channel.
    public init(connectionString: String, channels: [String], logger: Logger) async throws {
        self.connectionString = connectionString
        self.channels = channels
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        self.threadPool.start()
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0,
            descriptors.allSatisfy({ fcntl($0, F_SETFL, O_NONBLOCK) == 0 && fcntl($0, F_SETFD, FD_CLOEXEC) == 0 })
        else {
            throw PGError(.connectionFailed, "could not create the listener's wake-up pipe (errno \(errno))")
        }
        (self.wakeReadDescriptor, self.wakeWriteDescriptor) = (descriptors[0], descriptors[1])
        do {
            try await self.reconnect()
        } catch {
            try? await self.close()
            throw error
        }
    }

    /// Closes the connection and stops the listener's thread.
    public func close() async throws {
        self.connection?.close()
        self.connection = nil
        Glibc.close(self.wakeReadDescriptor)
        Glibc.close(self.wakeWriteDescriptor)
        try await self.threadPool.shutdownGracefully()
    }

    private func reconnect() async throws {
        self.connection?.close()
        self.connection = nil
        let connection = try await PGConnection.connect(to: self.connectionString, threadPool: self.threadPool)
        do {
            for channel in self.channels {
                try await connection.listen(channel)
            }
        } catch {
            connection.close()
            throw error
        }
        self.connection = connection
    }

    /// Waits up to `timeout` for the next notification; nil when none came in time.
    ///
    /// Throws `CancellationError` promptly when the calling task is cancelled, and a connection error
    /// when the server cannot be reached (call again later to reconnect).
    public func next(timeout: Duration) async throws -> PGNotification? {
        try Task.checkCancellation()
        if self.connection?.isOpen != true {
            self.logger.info("Reconnecting the notification listener")
            try await self.reconnect()
        }
        let connection = self.connection!
        var drained = [UInt8](repeating: 0, count: 64)
        while read(self.wakeReadDescriptor, &drained, drained.count) > 0 {}
        let wake = self.wakeReadDescriptor
        let wakeWriter = self.wakeWriteDescriptor
        return try await withTaskCancellationHandler {
            try await self.threadPool.runIfActive {
                try connection.waitForNotification(timeout: timeout, wakeDescriptor: wake)
            }
        } onCancel: {
            var one: UInt8 = 1
            _ = write(wakeWriter, &one, 1)
        }
    }
}

extension PGConnection {
    /// Runs `LISTEN` on `channel`, quoting it as an identifier (channel names cannot be parameters).
    func listen(_ channel: String) async throws {
        let quoted = try await self.withHandle { handle -> String in
            guard let escaped = PQescapeIdentifier(handle, channel, channel.utf8.count) else {
                throw PGError(.invalidValue, "the channel name \"\(channel)\" cannot be quoted")
            }
            defer { PQfreemem(escaped) }
            return String(cString: escaped)
        }
        try await self.query("LISTEN \(quoted)")
    }

    /// Blocks until a notification arrives, `timeout` passes, or `wakeDescriptor` becomes readable.
    fileprivate func waitForNotification(timeout: Duration, wakeDescriptor: Int32) throws -> PGNotification? {
        let handle = try self.requireHandle()
        let deadline = ContinuousClock.now + timeout
        while true {
            guard PQconsumeInput(handle) == 1 else {
                throw PGError(.connectionLost, "the notification connection broke: \(Self.oneLine(String(cString: PQerrorMessage(handle))))")
            }
            if let notification = PQnotifies(handle) {
                defer { PQfreemem(notification) }
                return PGNotification(
                    channel: String(cString: notification.pointee.relname),
                    payload: String(cString: notification.pointee.extra),
                    senderPID: notification.pointee.be_pid
                )
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return nil }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptors = [
                pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, milliseconds)
            if ready < 0, errno != EINTR {
                throw PGError(.connectionLost, "waiting for notifications failed (errno \(errno))")
            }
            if descriptors[1].revents & Int16(POLLIN) != 0 {
                throw CancellationError()
            }
        }
    }
}
