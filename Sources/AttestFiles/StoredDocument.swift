// Attest — certificates and documents you can verify. Apache-2.0.

/// A file as the store wrote it: where it is, its SHA-256 and its size.
package struct StoredDocument: Sendable, Hashable {
    /// The path relative to the store's root, exactly as the caller gave it.
    package var path: String
    /// The SHA-256 of the bytes, as 64 lowercase hexadecimal digits.
    package var sha256: String
    /// The number of bytes.
    package var byteCount: Int

    package init(path: String, sha256: String, byteCount: Int) {
        self.path = path
        self.sha256 = sha256
        self.byteCount = byteCount
    }
}
