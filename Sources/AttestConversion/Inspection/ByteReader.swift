// Attest — certificates and documents you can verify. Apache-2.0.

/// Bounds-checked little-endian reads from a byte buffer; every read past the end throws `damagedInput`.
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
        guard offset >= 0, offset + 2 <= self.bytes.count else { throw self.truncated() }
        return UInt16(self.bytes[offset]) | UInt16(self.bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> UInt32 {
        guard offset >= 0, offset + 4 <= self.bytes.count else { throw self.truncated() }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(self.bytes[offset + index]) << (8 * index) }
        return value
    }

    func u64(_ offset: Int) throws -> UInt64 {
        guard offset >= 0, offset + 8 <= self.bytes.count else { throw self.truncated() }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(self.bytes[offset + index]) << (8 * index) }
        return value
    }

    func slice(_ offset: Int, _ length: Int) throws -> ArraySlice<UInt8> {
        guard offset >= 0, length >= 0, offset <= self.bytes.count, length <= self.bytes.count - offset else {
            throw self.truncated()
        }
        return self.bytes[offset..<(offset + length)]
    }

    func truncated() -> ConversionError {
        ConversionError(.damagedInput, "the \(self.what) is truncated or corrupt")
    }
}
