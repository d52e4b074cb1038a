// Attest — certificates and documents you can verify. Apache-2.0.

import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls behind each operation; they block and run on the store's thread pool.
extension LocalDocumentStore {
    // MARK: - Operations

    func writeBlocking(_ bytes: [UInt8], to path: StoragePath) throws -> StoredDocument {
        guard let parent = try self.openParent(of: path, creating: true) else {
            throw StorageError(.notFound, "A directory on the path vanished while it was created.", path: path.raw)
        }
        switch try Self.entryKind(path.name, in: parent) {
        case .missing, .regularFile:
            break
        case .symbolicLink:
            throw StorageError(
                .pathOutsideRoot,
                "The file is a symbolic link; the store never writes through one.",
                path: path.raw
            )
        case .directory, .other:
            throw StorageError(.invalidPath, "The path names a directory or a special file.", path: path.raw)
        }

        let temporaryName = Self.temporaryName(for: path.name)
        let file = try Self.openTemporaryFile(temporaryName, in: parent, path: path.raw)
        var renamed = false
        defer {
            if !renamed {
                _ = unlinkat(parent.rawValue, temporaryName, 0)
            }
        }
        var hasher = SHA256()
        try bytes.withUnsafeBytes { buffer in
            let chunkSize = 64 * 1024
            for start in stride(from: 0, to: buffer.count, by: chunkSize) {
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<min(start + chunkSize, buffer.count)])
                hasher.update(bufferPointer: chunk)
                try file.writeAll(chunk)
            }
        }
        try file.sync()
        try file.close()

        guard renameat(parent.rawValue, temporaryName, parent.rawValue, path.name) == 0 else {
            throw StorageError.system("renameat", errno: errno, path: path.raw)
        }
        renamed = true
        try parent.sync()
        return StoredDocument(path: path.raw, sha256: Self.hex(hasher.finalize()), byteCount: bytes.count)
    }

    func readBlocking(_ path: StoragePath) throws -> [UInt8] {
        guard let parent = try self.openParent(of: path, creating: false) else {
            throw StorageError(.notFound, "No file is stored at the path.", path: path.raw)
        }
        // O_NONBLOCK keeps a FIFO from blocking the open; it changes nothing for a regular file.
        let descriptor = openat(parent.rawValue, path.name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT:
                throw StorageError(.notFound, "No file is stored at the path.", path: path.raw)
            case ELOOP:
                throw StorageError(
                    .pathOutsideRoot,
                    "The file is a symbolic link; the store never reads through one.",
                    path: path.raw
                )
            case let code:
                throw StorageError.system("openat", errno: code, path: path.raw)
            }
        }
        let file = FileDescriptor(rawValue: descriptor)
        let info = try file.status()
        guard Self.kind(of: info.st_mode) == .regularFile else {
            throw StorageError(.invalidPath, "The path names a directory or a special file.", path: path.raw)
        }
        return try file.readAll(sizeHint: Int(info.st_size))
    }

    func deleteBlocking(_ path: StoragePath) throws -> Bool {
        guard let parent = try self.openParent(of: path, creating: false) else {
            return false
        }
        switch try Self.entryKind(path.name, in: parent) {
        case .missing:
            return false
        case .regularFile:
            break
        case .symbolicLink:
            throw StorageError(
                .pathOutsideRoot,
                "The file is a symbolic link; the store never deletes one.",
                path: path.raw
            )
        case .directory, .other:
            throw StorageError(.invalidPath, "The path names a directory or a special file.", path: path.raw)
        }
        // Between the check and the unlink a link may be swapped in; unlinkat removes the link, never its target.
        guard unlinkat(parent.rawValue, path.name, 0) == 0 else {
            if errno == ENOENT { return false }
            throw StorageError.system("unlinkat", errno: errno, path: path.raw)
        }
        try parent.sync()
        return true
    }

    func existsBlocking(_ path: StoragePath) throws -> Bool {
        guard let parent = try self.openParent(of: path, creating: false) else {
            return false
        }
        switch try Self.entryKind(path.name, in: parent) {
        case .missing:
            return false
        case .regularFile:
            return true
        case .symbolicLink:
            throw StorageError(
                .pathOutsideRoot,
                "The file is a symbolic link; the store never follows one.",
                path: path.raw
            )
        case .directory, .other:
            throw StorageError(.invalidPath, "The path names a directory or a special file.", path: path.raw)
        }
    }

    func allPathsBlocking() throws -> [String] {
        var paths: [String] = []
        let root = try self.openRoot()
        try Self.collectFiles(in: root, prefix: "", into: &paths)
        return paths.sorted()
    }

    // MARK: - Walking below the root

    /// Opens the directory that holds `path.name`, one component at a time from the root with `O_NOFOLLOW`.
    ///
    /// When `creating`, missing directories are made (mode 0755 less the umask) and the directory holding each new
    /// one is synced. Otherwise a missing directory returns `nil`.
    func openParent(of path: StoragePath, creating: Bool) throws -> FileDescriptor? {
        var current = try self.openRoot()
        for component in path.parents {
            if creating {
                if mkdirat(current.rawValue, component, 0o755) == 0 {
                    try current.sync()
                } else if errno != EEXIST {
                    throw StorageError.system("mkdirat", errno: errno, path: path.raw)
                }
            }
            let next = openat(current.rawValue, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                let code = errno
                if code == ENOENT && !creating {
                    return nil
                }
                if code == ELOOP || code == ENOTDIR {
                    if try Self.entryKind(component, in: current) == .symbolicLink {
                        throw StorageError(
                            .pathOutsideRoot,
                            "A directory on the path is a symbolic link; the store never follows one.",
                            path: path.raw
                        )
                    }
                    if code == ENOTDIR {
                        throw StorageError(.invalidPath, "A directory on the path is a file.", path: path.raw)
                    }
                }
                throw StorageError.system("openat", errno: code, path: path.raw)
            }
            current = FileDescriptor(rawValue: next)
        }
        return current
    }

    /// Appends every regular file below `directory` to `paths`, skipping temporary files and symbolic links.
    private static func collectFiles(
        in directory: borrowing FileDescriptor,
        prefix: String,
        into paths: inout [String]
    ) throws {
        for name in try Self.entryNames(in: directory) where !name.hasPrefix(StoragePath.temporaryPrefix) {
            switch try Self.entryKind(name, in: directory) {
            case .regularFile:
                paths.append(prefix + name)
            case .directory:
                let child = openat(directory.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    if errno == ENOENT { continue }
                    throw StorageError.system("openat", errno: errno)
                }
                let childDirectory = FileDescriptor(rawValue: child)
                try Self.collectFiles(in: childDirectory, prefix: prefix + name + "/", into: &paths)
            case .missing, .symbolicLink, .other:
                continue
            }
        }
    }

    /// The names in a directory, without `.` and `..`.
    private static func entryNames(in directory: borrowing FileDescriptor) throws -> [String] {
        // fdopendir takes over the descriptor it is given, so give it its own.
        let listing = openat(directory.rawValue, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0 else {
            throw StorageError.system("openat", errno: errno)
        }
        guard let stream = fdopendir(listing) else {
            let code = errno
            _ = close(listing)
            throw StorageError.system("fdopendir", errno: code)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 {
                    throw StorageError.system("readdir", errno: errno)
                }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
    }

    // MARK: - Temporary files

    /// The temporary file's name for a target: fixed per target, so a write that a crash interrupted leaves a file
    /// that the next write of the same target (its retry) takes over, instead of an orphan.
    static func temporaryName(for name: String) -> String {
        StoragePath.temporaryPrefix + Self.hex(SHA256.hash(data: Array(name.utf8)).prefix(16))
    }

    /// Opens `name` in `directory` for writing, empty, holding an exclusive `flock` on it until it is closed.
    ///
    /// A live writer of the same target holds the lock: this write waits until that one has renamed its file into
    /// place. A file whose writer died (its lock went with it) is truncated and reused. After locking, the name must
    /// still refer to the locked file: a writer that finished meanwhile renamed it into place, and that file must
    /// never be truncated, so the open starts again.
    private static func openTemporaryFile(
        _ name: String,
        in directory: borrowing FileDescriptor,
        path: String
    ) throws -> FileDescriptor {
        while true {
            let descriptor = openat(directory.rawValue, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw StorageError.system("openat temporary file", errno: errno, path: path) }
            let file = FileDescriptor(rawValue: descriptor)
            while flock(file.rawValue, LOCK_EX) != 0 {
                guard errno == EINTR else { throw StorageError.system("flock", errno: errno, path: path) }
            }
            let opened = try file.status()
            var named = stat()
            guard fstatat(directory.rawValue, name, &named, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }
                throw StorageError.system("fstatat temporary file", errno: errno, path: path)
            }
            guard named.st_ino == opened.st_ino, named.st_dev == opened.st_dev else { continue }
            guard ftruncate(file.rawValue, 0) == 0 else { throw StorageError.system("ftruncate", errno: errno, path: path) }
            return file
        }
    }

    // MARK: - Helpers

    /// What a directory entry is, without following it.
    enum EntryKind {
        case missing
        case regularFile
        case directory
        case symbolicLink
        case other
    }

    /// `fstatat` with `AT_SYMLINK_NOFOLLOW`.
    static func entryKind(_ name: String, in directory: borrowing FileDescriptor) throws -> EntryKind {
        var info = stat()
        guard fstatat(directory.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return .missing }
            throw StorageError.system("fstatat", errno: errno)
        }
        return Self.kind(of: info.st_mode)
    }

    /// The file type bits of `st_mode` (the same values on Linux and macOS).
    static func kind(of mode: mode_t) -> EntryKind {
        switch mode & 0o170000 {
        case 0o100000: .regularFile
        case 0o040000: .directory
        case 0o120000: .symbolicLink
        default: .other
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hexadecimal.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
