// Attest — certificates and documents you can verify. Apache-2.0.

public import struct Foundation.Data
public import struct Foundation.Date
public import struct Foundation.UUID

/// A Swift type that can be read from a column in PostgreSQL's binary format.
public protocol PGDecodable: Sendable {
    /// Reads a non-NULL value; returns nil when a column of `type` cannot be read as `Self`.
    init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType)
}

// MARK: - Binary reading

extension ArraySlice where Element == UInt8 {
    /// Reads a big-endian integer that fills the slice exactly.
    func bigEndianInteger<T: FixedWidthInteger>(as: T.Type = T.self) -> T? {
        guard self.count == MemoryLayout<T>.size else { return nil }
        var value: T = 0
        for byte in self {
            value = (value << 8) | T(byte)
        }
        return value
    }
}

// MARK: - Conformances

extension String: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        if type == .jsonb {
            // jsonb's binary form is a version byte followed by the text.
            guard bytes.first == 1 else { return nil }
            self.init(decoding: bytes.dropFirst(), as: UTF8.self)
        } else if type.isTextual {
            self.init(decoding: bytes, as: UTF8.self)
        } else {
            return nil
        }
    }
}

extension Int64: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        switch type {
        case .int8: guard let value = bytes.bigEndianInteger(as: Int64.self) else { return nil }; self = value
        case .int4: guard let value = bytes.bigEndianInteger(as: Int32.self) else { return nil }; self = Int64(value)
        case .int2: guard let value = bytes.bigEndianInteger(as: Int16.self) else { return nil }; self = Int64(value)
        default: return nil
        }
    }
}

extension Int: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        guard let value = Int64(pgBinary: bytes, type: type) else { return nil }
        self = Int(value)
    }
}

extension Int32: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        switch type {
        case .int4: guard let value = bytes.bigEndianInteger(as: Int32.self) else { return nil }; self = value
        case .int2: guard let value = bytes.bigEndianInteger(as: Int16.self) else { return nil }; self = Int32(value)
        default: return nil
        }
    }
}

extension Double: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        switch type {
        case .float8:
            guard let bits = bytes.bigEndianInteger(as: UInt64.self) else { return nil }
            self = Double(bitPattern: bits)
        case .float4:
            guard let bits = bytes.bigEndianInteger(as: UInt32.self) else { return nil }
            self = Double(Float(bitPattern: bits))
        default:
            return nil
        }
    }
}

extension Bool: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        guard type == .bool, bytes.count == 1 else { return nil }
        self = bytes.first != 0
    }
}

extension UUID: PGDecodable {
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        guard type == .uuid, bytes.count == 16 else { return nil }
        let b = Array(bytes)
        self.init(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}

extension Date: PGDecodable {
    /// Reads `timestamptz` and `timestamp` (taken as UTC) to the microsecond, and `date` as midnight UTC.
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        switch type {
        case .timestamptz, .timestamp:
            guard let microseconds = bytes.bigEndianInteger(as: Int64.self) else { return nil }
            self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000 + postgresEpochOffsetSeconds)
        case .date:
            guard let days = bytes.bigEndianInteger(as: Int32.self) else { return nil }
            self.init(timeIntervalSince1970: Double(days) * 86_400 + postgresEpochOffsetSeconds)
        default:
            return nil
        }
    }
}

extension Array: PGDecodable where Element == UInt8 {
    /// Reads a `bytea`.
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        guard type == .bytea else { return nil }
        self = Array(bytes)
    }
}

extension Data: PGDecodable {
    /// Reads a `bytea`.
    public init?(pgBinary bytes: ArraySlice<UInt8>, type: PGType) {
        guard type == .bytea else { return nil }
        self = Data(bytes)
    }
}
