// Attest — certificates and documents you can verify. Apache-2.0.

internal import CZlib

/// Inflates raw DEFLATE data (zip method 8) with zlib, refusing to produce more than a fixed number of bytes.
final class Inflater {
    private var stream: z_stream

    /// Prepares a raw-deflate stream; throws when zlib cannot allocate one.
    init() throws {
        self.stream = z_stream()
        let status = inflateInit2_(&self.stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw ConversionError(.damagedInput, "zlib could not start inflating (status \(status))")
        }
    }

    deinit {
        inflateEnd(&self.stream)
    }

    /// Inflates `input` completely; throws when the result would exceed `limit` bytes or the data is corrupt.
    func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(min(limit, 1 << 20))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        // zlib counts input in 32 bits; no member of an accepted package comes near that.
        guard let inputCount = uInt(exactly: input.count) else {
            throw ConversionError(.zipBomb, "a member of the package is larger than 4 GiB compressed")
        }
        var input = Array(input)
        return try input.withUnsafeMutableBufferPointer { inputBuffer in
            self.stream.next_in = inputBuffer.baseAddress
            self.stream.avail_in = inputCount
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    self.stream.next_out = chunkBuffer.baseAddress
                    self.stream.avail_out = uInt(chunkBuffer.count)
                    let status = CZlib.inflate(&self.stream, Z_NO_FLUSH)
                    return (status, chunkBuffer.count - Int(self.stream.avail_out))
                }
                if produced > limit - output.count {
                    throw ConversionError(.zipBomb, "a member of the package inflates to more than it declares")
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK:
                    if produced == 0 && self.stream.avail_in == 0 {
                        throw ConversionError(.damagedInput, "a member of the package is truncated")
                    }
                case Z_BUF_ERROR where self.stream.avail_in == 0:
                    throw ConversionError(.damagedInput, "a member of the package is truncated")
                default:
                    throw ConversionError(.damagedInput, "a member of the package is corrupt (zlib status \(status))")
                }
            }
        }
    }
}
