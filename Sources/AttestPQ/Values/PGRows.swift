// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// The rows a statement returned, copied out of libpq's `PGresult` so nothing C outlives the call.
public struct PGRows: RandomAccessCollection, Sendable {
    /// A column's name and PostgreSQL type.
    public struct Column: Sendable {
        public var name: String
        public var type: PGType
    }

    /// Immutable storage shared by the rows of one result: every cell's bytes in one buffer.
    final class Storage: Sendable {
        let columns: [Column]
        let columnIndex: [String: Int]
        /// Every non-NULL cell's bytes, back to back.
        let bytes: [UInt8]
        /// For each cell (row-major): start offset into `bytes` and length, or length -1 for NULL.
        let cells: [(offset: Int, length: Int)]

        init(columns: [Column], bytes: [UInt8], cells: [(offset: Int, length: Int)]) {
            self.columns = columns
            var index: [String: Int] = [:]
            for (position, column) in columns.enumerated() where index[column.name] == nil {
                index[column.name] = position
            }
            self.columnIndex = index
            self.bytes = bytes
            self.cells = cells
        }
    }

    let storage: Storage
    public let count: Int
    /// The number of rows the statement inserted, updated or deleted (`PQcmdTuples`).
    public let affectedRows: Int

    init(storage: Storage, count: Int, affectedRows: Int) {
        self.storage = storage
        self.count = count
        self.affectedRows = affectedRows
    }

    public var columns: [Column] { self.storage.columns }
    public var startIndex: Int { 0 }
    public var endIndex: Int { self.count }

    public subscript(position: Int) -> PGRow {
        PGRow(storage: self.storage, row: position)
    }
}

/// One row of a result; read its columns by name or position with `decode`.
public struct PGRow: Sendable {
    let storage: PGRows.Storage
    let row: Int

    /// The column's bytes, or nil for NULL.
    private func cell(_ column: Int) -> ArraySlice<UInt8>? {
        let cell = self.storage.cells[self.row * self.storage.columns.count + column]
        guard cell.length >= 0 else { return nil }
        return self.storage.bytes[cell.offset..<cell.offset + cell.length]
    }

    private func index(of name: String) throws -> Int {
        guard let index = self.storage.columnIndex[name] else {
            throw PGError(.columnNotFound, "the result has no column \"\(name)\"")
        }
        return index
    }

    private func index(checking position: Int) throws -> Int {
        guard self.storage.columns.indices.contains(position) else {
            throw PGError(.columnNotFound, "the result has no column at position \(position)")
        }
        return position
    }

    private func decodeOptional<T: PGDecodable>(at index: Int, as type: T.Type) throws -> T? {
        guard let bytes = self.cell(index) else { return nil }
        let column = self.storage.columns[index]
        guard let value = T(pgBinary: bytes, type: column.type) else {
            throw PGError(
                .columnTypeMismatch,
                "column \"\(column.name)\" has type \(column.type), which cannot be read as \(T.self)"
            )
        }
        return value
    }

    private func decodeRequired<T: PGDecodable>(at index: Int, as type: T.Type) throws -> T {
        guard let value = try self.decodeOptional(at: index, as: type) else {
            throw PGError(
                .unexpectedNull,
                "column \"\(self.storage.columns[index].name)\" is NULL; read it as \(T.self)? instead"
            )
        }
        return value
    }

    /// Reads a column that must not be NULL.
    public func decode<T: PGDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self.decodeRequired(at: self.index(of: column), as: type)
    }

    /// Reads a column that may be NULL.
    public func decode<T: PGDecodable>(_ column: String, as type: T?.Type = T?.self) throws -> T? {
        try self.decodeOptional(at: self.index(of: column), as: T.self)
    }

    /// Reads the column at `position` (0-based); it must not be NULL.
    public func decode<T: PGDecodable>(_ position: Int, as type: T.Type = T.self) throws -> T {
        try self.decodeRequired(at: self.index(checking: position), as: type)
    }

    /// Reads the column at `position` (0-based); it may be NULL.
    public func decode<T: PGDecodable>(_ position: Int, as type: T?.Type = T?.self) throws -> T? {
        try self.decodeOptional(at: self.index(checking: position), as: T.self)
    }

    /// Whether the named column is NULL in this row.
    public func isNull(_ column: String) throws -> Bool {
        self.cell(try self.index(of: column)) == nil
    }

    /// Reads a `json` or `jsonb` column into a `Decodable` value.
    public func decodeJSON<T: Decodable>(
        _ column: String,
        as type: T.Type = T.self,
        decoder: JSONDecoder = JSONDecoder()
    ) throws -> T {
        let text: String = try self.decode(column)
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw PGError(.invalidValue, "column \"\(column)\" does not hold a valid \(T.self)", underlying: error)
        }
    }
}
