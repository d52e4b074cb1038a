// Attest — certificates and documents you can verify. Apache-2.0.

internal import CLibPQ
import Foundation
public import NIOPosix

/// One libpq connection (`PGconn`), used by one owner at a time; every blocking call runs on a thread pool.
///
/// `@unchecked Sendable` because it is a handle box: the pool (or a single owner such as `Migrator`) hands it
/// to one task at a time, and every call into libpq happens inside one thread-pool job, never concurrently.
public final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private let threadPool: NIOThreadPool
    /// Statements this connection has prepared, by text and parameter types; touched only inside thread-pool jobs.
    private var preparedStatements: [PreparedStatementKey: String] = [:]

    /// The most statements one connection prepares; texts beyond it run unprepared (`PQexecParams`).
    static let preparedStatementLimit = 256

    /// A statement's identity on the server: the same text with other parameter types is another statement.
    private struct PreparedStatementKey: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private init(handle: OpaquePointer, threadPool: NIOThreadPool) {
        self.handle = handle
        self.threadPool = threadPool
    }

    /// A connection released without `close()` is closed here, in every build (no debug-only assertion).
    deinit {
        if let handle = self.handle { PQfinish(handle) }
    }

    // MARK: - Connecting

    /// Opens a connection from a libpq connection string (`postgres://…` or `host=… dbname=…`).
    ///
    /// Errors say what to check and never contain the password.
    public static func connect(to conninfo: String, threadPool: NIOThreadPool = .singleton) async throws -> PGConnection {
        try await threadPool.runIfActive {
            try Self.connectBlocking(conninfo, threadPool: threadPool)
        }
    }

    /// Opens a connection for `body` and closes it afterwards, for short commands and tests.
    public static func withConnection<R: Sendable>(
        to conninfo: String,
        _ body: (PGConnection) async throws -> R
    ) async throws -> R {
        let connection = try await Self.connect(to: conninfo)
        defer { connection.close() }
        return try await body(connection)
    }

    private static func connectBlocking(_ conninfo: String, threadPool: NIOThreadPool) throws -> PGConnection {
        try Self.validate(conninfo)
        // Later keywords win, and the expanded connection string comes last, so its own settings override ours.
        let keywords = ["connect_timeout", "fallback_application_name", "client_encoding", "dbname"]
        let values = ["10", "attest", "UTF8", conninfo]
        let handle = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw PGError(.connectionFailed, "could not allocate a PostgreSQL connection (out of memory)")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = Self.oneLine(String(cString: PQerrorMessage(handle)))
            PQfinish(handle)
            throw PGError(
                .connectionFailed,
                "could not connect to PostgreSQL: \(ConnectionString.redacted(reason)) — check that the server "
                    + "is running and that host, port, user, password and database name in DATABASE_URL are right"
            )
        }
        // Server notices (NOTICE, WARNING) are not errors; libpq would print them to standard error.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return PGConnection(handle: handle, threadPool: threadPool)
    }

    /// Rejects strings libpq cannot parse, with libpq's reason.
    private static func validate(_ conninfo: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            var reason = "it could not be parsed"
            if let errorMessage {
                reason = Self.oneLine(String(cString: errorMessage))
                PQfreemem(errorMessage)
            }
            throw PGError(
                .invalidConnectionString,
                "the database URL is not a valid libpq connection string (\(ConnectionString.redacted(reason))); "
                    + "use postgres://user:password@host:port/database or host=… port=… dbname=…"
            )
        }
        PQconninfoFree(options)
    }

    /// libpq's multi-line messages as one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// Closes the connection. Safe to call more than once.
    public func close() {
        if let handle = self.handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// Whether libpq still considers the connection open (it notices a break when it next reads or writes).
    var isOpen: Bool {
        guard let handle = self.handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether an idle connection can be handed out: open, and with nothing unexpected waiting on its socket.
    ///
    /// An idle connection receives nothing unless the server is going away (a FATAL message, then EOF after a
    /// restart), so any readable data marks it as unusable. Does not block.
    public func isUsable() -> Bool {
        guard let handle = self.handle, PQstatus(handle) == CONNECTION_OK else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready == 0
    }

    // MARK: - Statements

    /// Runs one statement with parameters `$1…$n` and returns its rows (binary format).
    ///
    /// The first run of a text on this connection prepares it (`PQprepare`), later runs only bind and execute
    /// it: PostgreSQL parses, analyses and plans each statement once per connection instead of on every call.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PGEncodable] = []) async throws -> PGRows {
        let bound = parameters.map(\.pgParameter)
        return try await self.threadPool.runIfActive {
            try self.queryBlocking(sql, bound)
        }
    }

    /// Runs a script of statements without parameters (migrations): one simple-protocol round trip.
    ///
    /// Never build its text from values; everything that carries a value goes through `query`.
    public func runScript(_ sql: String) async throws {
        try await self.threadPool.runIfActive {
            let handle = try self.requireHandle()
            let result = PQexec(handle, sql)
            defer { PQclear(result) }
            try self.check(result, handle: handle)
        }
    }

    /// Lends the raw handle to `body` on the connection's thread pool.
    func withHandle<R: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> R) async throws -> R {
        try await self.threadPool.runIfActive {
            try body(try self.requireHandle())
        }
    }

    func requireHandle() throws -> OpaquePointer {
        guard let handle = self.handle else {
            throw PGError(.connectionLost, "the PostgreSQL connection is closed")
        }
        return handle
    }

    private func queryBlocking(_ sql: String, _ parameters: [PGParameter]) throws -> PGRows {
        let handle = try self.requireHandle()
        let types = parameters.map { $0.type.oid }
        let lengths = parameters.map { Int32($0.bytes?.count ?? 0) }
        let formats = parameters.map { Int32($0.isBinary ? 1 : 0) }
        // One buffer holds every value so a single pointer stays valid for the whole call.
        var buffer: [UInt8] = []
        var offsets: [Int?] = []
        for parameter in parameters {
            if let bytes = parameter.bytes {
                offsets.append(buffer.count)
                buffer += bytes
                // libpq reads text-format values as C strings, up to a NUL.
                if !parameter.isBinary { buffer.append(0) }
            } else {
                offsets.append(nil)
            }
        }
        buffer.append(0)
        let statement = try self.preparedStatement(sql, types: types, handle: handle)
        let result = buffer.withUnsafeBufferPointer { bufferPointer -> OpaquePointer? in
            let base = UnsafeRawPointer(bufferPointer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { base + $0 } }
            guard let statement else {
                return PQexecParams(handle, sql, Int32(parameters.count), types, values, lengths, formats, 1)
            }
            return PQexecPrepared(handle, statement, Int32(parameters.count), values, lengths, formats, 1)
        }
        defer { PQclear(result) }
        try self.check(result, handle: handle)
        return Self.copyRows(of: result!)
    }

    /// The server-side name of `sql` prepared with `types`, preparing it on first use; nil once the connection
    /// holds `preparedStatementLimit` statements (the text then runs unprepared).
    private func preparedStatement(_ sql: String, types: [UInt32], handle: OpaquePointer) throws -> String? {
        let key = PreparedStatementKey(sql: sql, types: types)
        if let name = self.preparedStatements[key] { return name }
        guard self.preparedStatements.count < Self.preparedStatementLimit else { return nil }
        let name = "attest_\(self.preparedStatements.count + 1)"
        let result = PQprepare(handle, name, sql, Int32(types.count), types)
        defer { PQclear(result) }
        try self.check(result, handle: handle)
        self.preparedStatements[key] = name
        return name
    }

    /// Throws the right `PGError` unless `result` reports success.
    func check(_ result: OpaquePointer?, handle: OpaquePointer) throws {
        guard let result else {
            throw self.connectionError(handle: handle)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            guard let sqlState = Self.field(result, DiagnosticField.sqlState) else {
                throw self.connectionError(handle: handle)
            }
            throw PGError(
                .server,
                Self.field(result, DiagnosticField.message) ?? "PostgreSQL reported an error",
                sqlState: sqlState,
                detail: Self.field(result, DiagnosticField.detail),
                hint: Self.field(result, DiagnosticField.hint),
                constraint: Self.field(result, DiagnosticField.constraint)
            )
        default:
            throw PGError(.server, "PostgreSQL answered with an unexpected result (\(PQresultStatus(result)))")
        }
    }

    private func connectionError(handle: OpaquePointer) -> PGError {
        let reason = Self.oneLine(String(cString: PQerrorMessage(handle)))
        return PGError(.connectionLost, "the connection to PostgreSQL broke: \(reason)")
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let value = PQresultErrorField(result, code) else { return nil }
        return String(cString: value)
    }

    /// Copies every cell of `result` into Swift memory.
    private static func copyRows(of result: OpaquePointer) -> PGRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [PGRows.Column] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(
                PGRows.Column(
                    name: String(cString: PQfname(result, Int32(column))),
                    type: PGType(oid: PQftype(result, Int32(column)))
                )
            )
        }
        var bytes: [UInt8] = []
        var cells: [(offset: Int, length: Int)] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    cells.append((bytes.count, -1))
                    continue
                }
                let length = Int(PQgetlength(result, row, column))
                let value = UnsafeRawPointer(PQgetvalue(result, row, column)!)
                cells.append((bytes.count, length))
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PGRows(
            storage: PGRows.Storage(columns: columns, bytes: bytes, cells: cells),
            count: rowCount,
            affectedRows: affected
        )
    }
}

/// libpq's `PG_DIAG_*` field codes (character macros in postgres_ext.h, which Swift does not import).
private enum DiagnosticField {
    static let sqlState = Int32(UInt8(ascii: "C"))
    static let message = Int32(UInt8(ascii: "M"))
    static let detail = Int32(UInt8(ascii: "D"))
    static let hint = Int32(UInt8(ascii: "H"))
    static let constraint = Int32(UInt8(ascii: "n"))
}

/// Lends `strings` to C as a NULL-terminated array of C strings for the duration of `body`.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
