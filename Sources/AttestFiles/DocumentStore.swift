// Attest — certificates and documents you can verify. Apache-2.0.

/// A place that keeps documents (certificate PDFs, converted files) under paths relative to its root.
///
/// Paths are `/`-separated and relative: no empty, `.` or `..` component, no leading `/`, no NUL byte, no
/// backslash, and no component starting with `.tmp-` (reserved for the store's temporary files). A store never
/// writes, reads or deletes anything outside its root (ARCHITECTURE.md, invariant 5).
package protocol DocumentStore: Sendable {
    /// Stores `bytes` at `path`, replacing any file there atomically, and returns its SHA-256 and size.
    /// When this returns, the file and its directory entry are on stable storage.
    func write(_ bytes: [UInt8], to path: String) async throws -> StoredDocument

    /// Returns the bytes stored at `path`; throws `StorageError.Code.notFound` when there is no file.
    func read(_ path: String) async throws -> [UInt8]

    /// Removes the file at `path`; returns `false` when there was none.
    func delete(_ path: String) async throws -> Bool

    /// Tells whether a file is stored at `path`.
    func exists(_ path: String) async throws -> Bool

    /// Every stored file, relative to the root, sorted; temporary files are left out. For orphan checks.
    func allPaths() async throws -> [String]
}
