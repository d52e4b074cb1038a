// Attest — certificates and documents you can verify. Apache-2.0.

/// Bounds-checked little-endian reads from a byte buffer; every read past the end throws `damagedInput`.
///
/// The checks compare against `count - width` rather than computing `offset + width`, so an offset taken from the
/// file can be anything (negative, huge) without overflowing.
struct ByteReader {
    let bytes: [UInt8]
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var count: Int { self.bytes.count }

    func u8(_ offset: Int) throws -> UInt8 {
        guard offset >= 0, offset < self.bytes.count else { throw self.truncated() }
        return self.bytes[offset]
    }

    func u16(_ offset: Int) throws -> UInt16 {
        guard offset >= 0, offset <= self.bytes.count - 2 else { throw self.truncated() }
        return UInt16(self.bytes[offset]) | UInt16(self.bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> UInt32 {
        guard offset >= 0, offset <= self.bytes.count - 4 else { throw self.truncated() }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(self.bytes[offset + index]) << (8 * index) }
        return value
    }

    func u64(_ offset: Int) throws -> UInt64 {
        guard offset >= 0, offset <= self.bytes.count - 8 else { throw self.truncated() }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(self.bytes[offset + index]) << (8 * index) }
        return value
    }

    /// A 32-bit size or offset read as an `Int`, for arithmetic with other positions.
    func u32Int(_ offset: Int) throws -> Int {
        try Self.int(UInt64(try self.u32(offset)), orThrow: self.truncated())
    }

    func slice(_ offset: Int, _ length: Int) throws -> ArraySlice<UInt8> {
        guard offset >= 0, length >= 0, offset <= self.bytes.count, length <= self.bytes.count - offset else {
            throw self.truncated()
        }
        return self.bytes[offset..<(offset + length)]
    }

    /// `base + delta`, or the truncation error when the sum does not fit in an `Int`.
    func sum(_ base: Int, _ delta: Int) throws -> Int {
        let (result, overflow) = base.addingReportingOverflow(delta)
        guard !overflow else { throw self.truncated() }
        return result
    }

    func truncated() -> ConversionError {
        ConversionError(.damagedInput, "the \(self.what) is truncated or corrupt")
    }

    /// A size or offset from the file as an `Int`, or `error` when it does not fit.
    static func int(_ value: UInt64, orThrow error: @autoclosure () -> ConversionError) throws -> Int {
        guard let result = Int(exactly: value) else { throw error() }
        return result
    }
}
