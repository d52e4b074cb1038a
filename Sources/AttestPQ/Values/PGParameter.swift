// Attest — certificates and documents you can verify. Apache-2.0.

/// One statement parameter as libpq sends it: a type, a format and bytes (nil for SQL NULL).
public struct PGParameter: Sendable {
    public var type: PGType
    /// The value's bytes; `nil` sends SQL NULL.
    public var bytes: [UInt8]?
    /// Binary format when true, text format otherwise.
    public var isBinary: Bool

    public init(type: PGType, bytes: [UInt8]?, isBinary: Bool) {
        self.type = type
        self.bytes = bytes
        self.isBinary = isBinary
    }

    /// SQL NULL whose type the server infers from the statement.
    public static let null = PGParameter(type: .unspecified, bytes: nil, isBinary: false)
}

/// A Swift value that can be sent as a statement parameter (`$1`, `$2`, …), never spliced into SQL text.
public protocol PGEncodable: Sendable {
    var pgParameter: PGParameter { get }
}

/// A value that can also be an element of a PostgreSQL array parameter (`$1::text[]`, used with `unnest`).
public protocol PGArrayElement: PGEncodable {
    /// The OID of the element type, written into the array header.
    static var pgElementType: PGType { get }
    /// The OID of the array type.
    static var pgArrayType: PGType { get }
}

// MARK: - Binary writing

extension FixedWidthInteger {
    /// The integer in network byte order, as PostgreSQL's binary format wants it.
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }
}

// MARK: - Conformances

extension String: PGArrayElement {
    public var pgParameter: PGParameter {
        // Untyped text lets the server read it as whatever the statement needs (text, uuid, jsonb, enum, …).
        PGParameter(type: .unspecified, bytes: Array(self.utf8), isBinary: false)
    }
    public static var pgElementType: PGType { .text }
    public static var pgArrayType: PGType { .textArray }
}

extension Int: PGArrayElement {
    public var pgParameter: PGParameter { Int64(self).pgParameter }
    public static var pgElementType: PGType { .int8 }
    public static var pgArrayType: PGType { .int8Array }
}

extension Int64: PGArrayElement {
    public var pgParameter: PGParameter { PGParameter(type: .int8, bytes: self.bigEndianBytes, isBinary: true) }
    public static var pgElementType: PGType { .int8 }
    public static var pgArrayType: PGType { .int8Array }
}

extension Int32: PGArrayElement {
    public var pgParameter: PGParameter { PGParameter(type: .int4, bytes: self.bigEndianBytes, isBinary: true) }
    public static var pgElementType: PGType { .int4 }
    public static var pgArrayType: PGType { .int4Array }
}

extension Double: PGEncodable {
    public var pgParameter: PGParameter {
        PGParameter(type: .float8, bytes: self.bitPattern.bigEndianBytes, isBinary: true)
    }
}

extension Bool: PGEncodable {
    public var pgParameter: PGParameter { PGParameter(type: .bool, bytes: [self ? 1 : 0], isBinary: true) }
}

extension Optional: PGEncodable where Wrapped: PGEncodable {
    public var pgParameter: PGParameter {
        switch self {
        case .some(let value): return value.pgParameter
        case .none: return .null
        }
    }
}

/// An array parameter (`$1::text[]`), for batch statements that `unnest` their input.
public struct PGArray<Element: PGArrayElement>: PGEncodable {
    public var elements: [Element]

    public init(_ elements: [Element]) {
        self.elements = elements
    }

    /// A one-dimensional array in PostgreSQL's binary array format.
    public var pgParameter: PGParameter {
        var bytes: [UInt8] = []
        bytes += Int32(1).bigEndianBytes  // dimensions
        bytes += Int32(0).bigEndianBytes  // has-null flag: elements are never NULL here
        bytes += Int32(bitPattern: Element.pgElementType.oid).bigEndianBytes
        bytes += Int32(self.elements.count).bigEndianBytes
        bytes += Int32(1).bigEndianBytes  // lower bound
        for element in self.elements {
            // Every element type's text and binary forms agree where PostgreSQL reads them as the element type.
            let elementBytes = element.pgParameter.bytes ?? []
            bytes += Int32(elementBytes.count).bigEndianBytes
            bytes += elementBytes
        }
        return PGParameter(type: Element.pgArrayType, bytes: bytes, isBinary: true)
    }
}
