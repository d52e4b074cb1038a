// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo

/// Collects the bytes Cairo writes through a stream callback (PDF or PNG output held in memory).
final class ByteSink {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int) {
        self.bytes.reserveCapacity(capacity)
    }

    /// The `cairo_write_func_t` that appends to the sink passed as the closure pointer.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

/// Feeds a byte array to Cairo's PNG reader through a stream callback.
final class ByteSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The `cairo_read_func_t` that reads from the source passed as the closure pointer.
    static let read: cairo_read_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
        let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
        let count = Int(length)
        guard source.offset + count <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
        source.bytes.withUnsafeBufferPointer { buffer in
            data.update(from: buffer.baseAddress! + source.offset, count: count)
        }
        source.offset += count
        return CAIRO_STATUS_SUCCESS
    }
}
