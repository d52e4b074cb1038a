// Attest — certificates and documents you can verify. Apache-2.0.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one owner of an open file descriptor; `deinit` closes it unless `close()` already did.
///
/// Written files are closed with `close()`, which reports the error; everything else may rely on `deinit`.
struct FileDescriptor: ~Copyable {
    /// The descriptor number; valid until `close()` or `deinit`.
    let rawValue: Int32

    deinit {
        _ = systemClose(self.rawValue)
    }

    /// Closes the descriptor and reports the error `close` returns (after `fsync` it should return none).
    consuming func close() throws(StorageError) {
        let result = systemClose(self.rawValue)
        let code = errno
        discard self
        if result != 0 && code != EINTR {
            throw .system("close", errno: code)
        }
    }

    /// Flushes the file's data and metadata (or a directory's entries) to stable storage.
    func sync() throws(StorageError) {
        while fsync(self.rawValue) != 0 {
            guard errno == EINTR else { throw .system("fsync", errno: errno) }
        }
    }

    /// `fstat` of the descriptor.
    func status() throws(StorageError) -> stat {
        var info = stat()
        guard fstat(self.rawValue, &info) == 0 else { throw .system("fstat", errno: errno) }
        return info
    }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(self.rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                guard errno == EINTR else { throw .system("write", errno: errno) }
                continue
            }
            offset += written
        }
    }

    /// Reads until end of file; `sizeHint` (from `fstat`) sets the first allocation.
    func readAll(sizeHint: Int) throws(StorageError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(sizeHint, 0) + 1)
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(self.rawValue, $0.baseAddress, chunkSize) }
            if count < 0 {
                guard errno == EINTR else { throw .system("read", errno: errno) }
                continue
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

// MARK: - System calls whose names the methods above reuse

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
