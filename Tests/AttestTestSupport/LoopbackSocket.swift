// Attest — certificates and documents you can verify. Apache-2.0.

import Glibc

/// A raw TCP connection to a server on 127.0.0.1, for tests that must send what no HTTP client would (headers
/// that never end) and watch when the server hangs up.
public final class LoopbackSocket {
    private var descriptor: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        self.descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard self.descriptor >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            self.close()
            throw TestSupportError("connect() to 127.0.0.1:\(port) failed: errno \(error)")
        }
    }

    deinit { self.close() }

    /// Writes all of `text`.
    public func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(self.descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw TestSupportError("write() failed: errno \(errno)") }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Reads (and discards) until the server closes the connection; false when it is still open after `limit`.
    public func waitForClose(within limit: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var request = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 100)
            if ready < 0, errno != EINTR { throw TestSupportError("poll() failed: errno \(errno)") }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno == ECONNRESET) { return true }
            if count < 0, errno != EINTR, errno != EAGAIN { throw TestSupportError("read() failed: errno \(errno)") }
        }
        return false
    }

    /// Closes the connection; later calls do nothing.
    public func close() {
        if self.descriptor >= 0 { Glibc.close(self.descriptor) }
        self.descriptor = -1
    }
}
