// Attest — certificates and documents you can verify. Apache-2.0.

public import Logging
import NIOPosix

/// A bounded pool of `PGConnection`s: callers wait (up to a timeout) when all are busy, and broken
/// connections are discarded and replaced, so the pool recovers from a PostgreSQL restart on its own.
public actor PGPool {
    /// How the pool connects and how large it grows.
    public struct Configuration: Sendable {
        /// libpq connection string. No default.
        public var connectionString: String
        /// The most connections open at once. Defaults to 8.
        public var maximumConnections: Int
        /// How long a caller waits for a free connection before `poolTimeout`. Defaults to 10 seconds.
        public var leaseTimeout: Duration

        public init(connectionString: String, maximumConnections: Int = 8, leaseTimeout: Duration = .seconds(10)) {
            self.connectionString = connectionString
            self.maximumConnections = maximumConnections
            self.leaseTimeout = leaseTimeout
        }
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PGConnection, any Error>
    }

    public nonisolated let configuration: Configuration
    private let logger: Logger
    /// Runs every blocking libpq call, one thread per connection, off Swift's cooperative pool.
    private nonisolated let threadPool: NIOThreadPool
    private var idle: [PGConnection] = []
    /// Connections open or being opened, whether idle or leased.
    private var openCount = 0
    private var waiters: [Waiter] = []
    /// Waiters that asked for a connection and have not been served, expired or cancelled yet.
    private var pendingWaiterIDs: Set<Int> = []
    /// Waiters whose timeout fired before they registered their continuation.
    private var expiredWaiterIDs: Set<Int> = []
    private var nextWaiterID = 0
    private var isClosed = false

    public init(configuration: Configuration, logger: Logger) {
        precondition(configuration.maximumConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        self.threadPool.start()
    }

    deinit {
        for connection in self.idle { connection.close() }
    }

    // MARK: - Using connections

    /// Lends a connection to `body`; it goes back to the pool afterwards, or is discarded if it broke.
    public nonisolated func withConnection<R: Sendable>(_ body: (PGConnection) async throws -> R) async throws -> R {
        let connection = try await self.lease()
        do {
            let value = try await body(connection)
            await self.release(connection)
            return value
        } catch {
            await self.release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction on a pooled connection: commit on return, rollback on throw.
    public nonisolated func withTransaction<R: Sendable>(_ body: (PGConnection) async throws -> R) async throws -> R {
        try await self.withConnection { connection in
            try await connection.transaction(body)
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGRows {
        try await self.withConnection { connection in
            try await connection.query(sql, parameters)
        }
    }

    /// Opens connections until `count` are open (at most the pool's maximum), so that the first callers do not
    /// wait for connections to be opened and authenticated. Each new connection goes where a released one would:
    /// to a caller that started waiting meanwhile, or to the idle list.
    public func openConnections(_ count: Int) async throws {
        while !self.isClosed, self.openCount < min(count, self.configuration.maximumConnections) {
            await self.release(try await self.open())
        }
    }

    // MARK: - Leasing

    private func lease() async throws -> PGConnection {
        guard !self.isClosed else { throw PGError(.poolClosed, "the database pool is closed") }
        while let connection = self.idle.popLast() {
            if connection.isUsable() { return connection }
            self.discard(connection)
        }
        if self.openCount < self.configuration.maximumConnections {
            return try await self.open()
        }
        return try await self.waitForConnection()
    }

    private func open() async throws -> PGConnection {
        self.openCount += 1
        do {
            return try await PGConnection.connect(to: self.configuration.connectionString, threadPool: self.threadPool)
        } catch {
            self.openCount -= 1
            throw error
        }
    }

    private func waitForConnection() async throws -> PGConnection {
        let id = self.nextWaiterID
        self.nextWaiterID += 1
        self.pendingWaiterIDs.insert(id)
        let timeout = self.configuration.leaseTimeout
        return try await withThrowingTaskGroup(of: PGConnection?.self) { group in
            group.addTask {
                try await self.register(waiterID: id)
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    await self.expire(
                        waiterID: id,
                        with: PGError(.poolTimeout, "no database connection became free within \(timeout)")
                    )
                } catch {
                    await self.expire(waiterID: id, with: CancellationError())
                }
                return nil
            }
            while let result = try await group.next() {
                if let connection = result {
                    group.cancelAll()
                    return connection
                }
            }
            throw CancellationError()
        }
    }

    private func register(waiterID id: Int) async throws -> PGConnection {
        try await withCheckedThrowingContinuation { continuation in
            if self.expiredWaiterIDs.remove(id) != nil {
                continuation.resume(throwing: PGError(.poolTimeout, "no database connection became free in time"))
            } else {
                self.waiters.append(Waiter(id: id, continuation: continuation))
            }
        }
    }

    private func expire(waiterID id: Int, with error: any Error) {
        guard self.pendingWaiterIDs.remove(id) != nil else { return }
        if let index = self.waiters.firstIndex(where: { $0.id == id }) {
            self.waiters.remove(at: index).continuation.resume(throwing: error)
        } else {
            self.expiredWaiterIDs.insert(id)
        }
    }

    private func release(_ connection: PGConnection) async {
        guard !self.isClosed, connection.isUsable() else {
            if !self.isClosed {
                self.logger.info("Discarded a broken database connection")
            }
            self.discard(connection)
            await self.replaceForWaiter()
            return
        }
        if !self.waiters.isEmpty {
            let waiter = self.waiters.removeFirst()
            self.pendingWaiterIDs.remove(waiter.id)
            waiter.continuation.resume(returning: connection)
        } else {
            self.idle.append(connection)
        }
    }

    /// After a connection is discarded, a waiting caller gets a new one (or the error opening it).
    private func replaceForWaiter() async {
        guard !self.waiters.isEmpty, self.openCount < self.configuration.maximumConnections else { return }
        let waiter = self.waiters.removeFirst()
        self.pendingWaiterIDs.remove(waiter.id)
        do {
            waiter.continuation.resume(returning: try await self.open())
        } catch {
            waiter.continuation.resume(throwing: error)
        }
    }

    private func discard(_ connection: PGConnection) {
        connection.close()
        self.openCount -= 1
    }

    // MARK: - Closing

    /// Closes idle connections, fails waiting callers and stops the thread pool; leased connections are
    /// closed when they come back.
    public func close() async throws {
        guard !self.isClosed else { return }
        self.isClosed = true
        for connection in self.idle { self.discard(connection) }
        self.idle.removeAll()
        for waiter in self.waiters {
            self.pendingWaiterIDs.remove(waiter.id)
            waiter.continuation.resume(throwing: PGError(.poolClosed, "the database pool is closed"))
        }
        self.waiters.removeAll()
        try await self.threadPool.shutdownGracefully()
    }
}
