// Attest — certificates and documents you can verify. Apache-2.0.

public import struct Foundation.Data
public import struct Foundation.Date
public import struct Foundation.UUID
public import class Foundation.JSONEncoder

/// Microseconds between the Unix epoch and PostgreSQL's epoch, 2000-01-01 00:00:00 UTC.
let postgresEpochOffsetSeconds: Double = 946_684_800

extension UUID: PGArrayElement {
    public var pgParameter: PGParameter {
        let bytes = withUnsafeBytes(of: self.uuid) { Array($0) }
        return PGParameter(type: .uuid, bytes: bytes, isBinary: true)
    }
    public static var pgElementType: PGType { .uuid }
    public static var pgArrayType: PGType { .uuidArray }
}

extension Date: PGArrayElement {
    /// A `timestamptz`: microseconds since 2000-01-01 UTC.
    public var pgParameter: PGParameter {
        let microseconds = ((self.timeIntervalSince1970 - postgresEpochOffsetSeconds) * 1_000_000).rounded()
        return PGParameter(type: .timestamptz, bytes: Int64(microseconds).bigEndianBytes, isBinary: true)
    }
    public static var pgElementType: PGType { .timestamptz }
    public static var pgArrayType: PGType { .timestamptzArray }
}

extension Array: PGEncodable where Element == UInt8 {
    /// A `bytea`.
    public var pgParameter: PGParameter { PGParameter(type: .bytea, bytes: self, isBinary: true) }
}

extension Data: PGEncodable {
    /// A `bytea`.
    public var pgParameter: PGParameter { PGParameter(type: .bytea, bytes: Array(self), isBinary: true) }
}

/// A JSON document sent as `jsonb`: text already serialised, or a value encoded with `JSONEncoder`.
public struct PGJSON: PGArrayElement {
    /// The document as UTF-8 JSON text.
    public var utf8: [UInt8]

    public init(text: String) {
        self.utf8 = Array(text.utf8)
    }

    public init(encoding value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        self.utf8 = Array(try encoder.encode(value))
    }

    public var pgParameter: PGParameter {
        // jsonb's binary form is a version byte (1) followed by the text.
        PGParameter(type: .jsonb, bytes: [1] + self.utf8, isBinary: true)
    }
    public static var pgElementType: PGType { .jsonb }
    public static var pgArrayType: PGType { .jsonbArray }
}
