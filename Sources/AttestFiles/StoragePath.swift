// Attest — certificates and documents you can verify. Apache-2.0.

/// A caller's relative path, checked so that it can only name something below the store's root.
struct StoragePath: Sendable {
    /// The prefix of the store's temporary files; no caller's component may start with it.
    static let temporaryPrefix = ".tmp-"
    /// The longest path accepted, in UTF-8 bytes.
    static let maximumLength = 1024
    /// The longest component accepted, in UTF-8 bytes (`NAME_MAX` on Linux and macOS).
    static let maximumComponentLength = 255

    /// The path as the caller gave it.
    let raw: String
    /// The directories between the root and the file, outermost first.
    let parents: [String]
    /// The file's own name.
    let name: String

    init(_ raw: String) throws(StorageError) {
        guard !raw.isEmpty else {
            throw StorageError(.invalidPath, "The path is empty.")
        }
        // The path goes into the message only once it is known to be printable and relative.
        guard !raw.utf8.contains(0) else {
            throw StorageError(.invalidPath, "The path contains a NUL byte.")
        }
        guard !raw.hasPrefix("/") else {
            throw StorageError(
                .pathOutsideRoot,
                "The path is absolute; the store only takes paths relative to its root."
            )
        }
        guard !raw.contains("\\") else {
            throw StorageError(.invalidPath, "The path contains a backslash.", path: raw)
        }
        guard raw.utf8.count <= Self.maximumLength else {
            throw StorageError(.invalidPath, "The path is longer than \(Self.maximumLength) bytes.")
        }
        let components = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for component in components {
            switch component {
            case "":
                throw StorageError(.invalidPath, "The path has an empty component.", path: raw)
            case ".":
                throw StorageError(.invalidPath, "The path has a '.' component.", path: raw)
            case "..":
                throw StorageError(.pathOutsideRoot, "The path has a '..' component.", path: raw)
            default:
                if component.hasPrefix(Self.temporaryPrefix) {
                    throw StorageError(
                        .invalidPath,
                        "A path component starts with '\(Self.temporaryPrefix)', which is reserved for temporary files.",
                        path: raw
                    )
                }
                if component.utf8.count > Self.maximumComponentLength {
                    throw StorageError(
                        .invalidPath,
                        "A path component is longer than \(Self.maximumComponentLength) bytes.",
                        path: raw
                    )
                }
            }
        }
        self.raw = raw
        self.parents = Array(components.dropLast())
        self.name = components[components.count - 1]
    }
}
