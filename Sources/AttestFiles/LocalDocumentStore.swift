// Attest — certificates and documents you can verify. Apache-2.0.

package import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `DocumentStore` kept in one local directory: atomic, durable writes that never leave the root.
///
/// **Writes** go to the target's own `.tmp-…` file in the target's directory (named by a hash of the target's
/// name, locked with `flock` while written, mode 0644 less the umask), are hashed with SHA-256 while written,
/// `fsync`ed, renamed over the target, and then the directory is `fsync`ed. Readers see the old file or the new
/// one, never a mix; after a crash the target holds one of them, and its `.tmp-…` file stays only until the
/// next write of that target reuses it (`allPaths()` never lists it).
///
/// **Confinement** (ARCHITECTURE.md, invariant 5): the root is resolved with `realpath` once, in `init`. Every
/// operation then starts from the root's descriptor and opens each directory below it with `openat` and
/// `O_NOFOLLOW`, creating it with `mkdirat` when writing; the file itself is opened, renamed over or unlinked
/// relative to its parent's descriptor, and a final component that is a symbolic link is refused. So no symbolic
/// link below the root is ever followed, whether it points outside or not, and — unlike checking `realpath` of the
/// parent and then using the path — there is no window in which a link swapped in by someone else is followed.
///
/// **Blocking I/O** runs on a `NIOThreadPool` (by default `NIOThreadPool.singleton`, as `PGConnection` does), never
/// on Swift's cooperative pool. The files are small (certificates are well under 1 MB), but `fsync` of a file and
/// of its directory can stall for hundreds of milliseconds while the disk is busy, and on a two-core machine the
/// cooperative pool has two threads that the HTTP server and the queue worker also need.
package struct LocalDocumentStore: DocumentStore {
    /// The root directory as `realpath` resolved it in `init`. Never put it in an error message.
    package let root: String
    /// Where the blocking system calls run.
    let threadPool: NIOThreadPool

    /// Opens the store at `root`, creating the directory (and its parents) with mode 0755 if missing.
    ///
    /// `root` itself may be or contain a symbolic link (`/srv/attest -> /mnt/data`); it is resolved here, once.
    /// This call blocks briefly; make it at startup.
    package init(root: String, threadPool: NIOThreadPool = .singleton) throws {
        guard !root.isEmpty, !root.utf8.contains(0) else {
            throw StorageError(.invalidPath, "The storage root is empty or contains a NUL byte.")
        }
        try Self.createDirectories(root)
        guard let resolved = realpath(root, nil) else {
            throw StorageError.system("realpath", errno: errno)
        }
        defer { free(resolved) }
        self.root = String(cString: resolved)
        self.threadPool = threadPool
        _ = try self.openRoot()
    }

    // MARK: - DocumentStore

    package func write(_ bytes: [UInt8], to path: String) async throws -> StoredDocument {
        let checked = try StoragePath(path)
        return try await self.threadPool.runIfActive { try self.writeBlocking(bytes, to: checked) }
    }

    package func read(_ path: String) async throws -> [UInt8] {
        let checked = try StoragePath(path)
        return try await self.threadPool.runIfActive { try self.readBlocking(checked) }
    }

    package func delete(_ path: String) async throws -> Bool {
        let checked = try StoragePath(path)
        return try await self.threadPool.runIfActive { try self.deleteBlocking(checked) }
    }

    package func exists(_ path: String) async throws -> Bool {
        let checked = try StoragePath(path)
        return try await self.threadPool.runIfActive { try self.existsBlocking(checked) }
    }

    package func allPaths() async throws -> [String] {
        try await self.threadPool.runIfActive { try self.allPathsBlocking() }
    }

    // MARK: - Root

    /// `mkdir -p`: creates each missing directory along `path`.
    private static func createDirectories(_ path: String) throws(StorageError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .system("mkdir", errno: errno)
            }
            prefix += "/"
        }
    }

    /// Opens the resolved root directory; refuses it if it has since been replaced by a symbolic link.
    func openRoot() throws(StorageError) -> FileDescriptor {
        let descriptor = open(self.root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .system("open storage root", errno: errno)
        }
        return FileDescriptor(rawValue: descriptor)
    }
}
