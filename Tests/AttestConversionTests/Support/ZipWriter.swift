// Attest — certificates and documents you can verify. Apache-2.0.

import CZlib

/// Writes zip packages for fixtures: stored or deflated members, no ZIP64.
enum ZipWriter {
    /// One member to write.
    struct Entry {
        var name: String
        var data: [UInt8]
        var deflate = false
    }

    static func archive(_ entries: [Entry]) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let crc = entry.data.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            let payload = entry.deflate ? Self.deflate(entry.data) : entry.data
            let name = Array(entry.name.utf8)
            let offset = UInt32(output.count)
            output += Self.u32(0x0403_4B50) + Self.u16(20) + Self.u16(0) + Self.u16(entry.deflate ? 8 : 0)
            output += Self.u16(0) + Self.u16(0x21) + Self.u32(crc) + Self.u32(UInt32(payload.count))
            output += Self.u32(UInt32(entry.data.count)) + Self.u16(UInt16(name.count)) + Self.u16(0) + name + payload
            central += Self.u32(0x0201_4B50) + Self.u16(20) + Self.u16(20) + Self.u16(0)
            central += Self.u16(entry.deflate ? 8 : 0) + Self.u16(0) + Self.u16(0x21) + Self.u32(crc)
            central += Self.u32(UInt32(payload.count)) + Self.u32(UInt32(entry.data.count))
            central += Self.u16(UInt16(name.count)) + Self.u16(0) + Self.u16(0) + Self.u16(0) + Self.u16(0)
            central += Self.u32(0) + Self.u32(offset) + name
        }
        let centralOffset = UInt32(output.count)
        output += central
        output += Self.u32(0x0605_4B50) + Self.u16(0) + Self.u16(0) + Self.u16(UInt16(entries.count))
        output +=
            Self.u16(UInt16(entries.count)) + Self.u32(UInt32(central.count)) + Self.u32(centralOffset) + Self.u16(0)
        return output
    }

    /// Raw DEFLATE (no zlib header), as zip method 8 stores it.
    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(
            &stream,
            9,
            Z_DEFLATED,
            -MAX_WBITS,
            9,
            Z_DEFAULT_STRATEGY,
            ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)
        )
        defer { deflateEnd(&stream) }
        var input = data
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                _ = CZlib.deflate(&stream, Z_FINISH)
                return outputBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func u32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
