// Attest — certificates and documents you can verify. Apache-2.0.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call and its errno, kept as the `underlying` error of a `StorageError`.
package struct SystemCallError: Error, CustomStringConvertible {
    /// The call that failed, such as `openat` or `fsync`.
    package var call: String
    /// The errno it set.
    package var errno: Int32

    package init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    package var description: String {
        "\(self.call) failed: \(String(cString: strerror(self.errno))) (errno \(self.errno))"
    }
}
