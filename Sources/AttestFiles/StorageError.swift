// Attest — certificates and documents you can verify. Apache-2.0.

/// The one error AttestFiles throws; its description never holds the store's root or any absolute path.
package struct StorageError: Error, CustomStringConvertible {
    /// What went wrong, as a stable string for logs and job errors.
    package enum Code: String, Sendable {
        /// The path is not one the store accepts: empty, an empty, `.` or reserved `.tmp-` component, a NUL byte,
        /// a backslash, too long, or it names a directory or a special file instead of a regular file.
        case invalidPath = "invalid_path"
        /// The path would leave the storage root: it is absolute, has a `..` component, or goes through a
        /// symbolic link (the store follows none below its root).
        case pathOutsideRoot = "path_outside_root"
        /// No regular file exists at the path.
        case notFound = "not_found"
        /// A system call failed; `underlying` is a `SystemCallError` with the errno.
        case ioFailed = "io_failed"
    }

    /// What went wrong.
    package var code: Code
    /// For operators; names the operation and the errno, never a path.
    package var message: String
    /// The path relative to the store's root that the operation was given, when it is safe to show.
    package var path: String?
    /// The error that caused this one, if any.
    package var underlying: (any Error)?
    /// Where the error was created.
    package var file: String
    /// Where the error was created.
    package var line: Int

    package init(
        _ code: Code,
        _ message: String,
        path: String? = nil,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// A failed system call, with its errno in the message and in `underlying`.
    static func system(
        _ call: String,
        errno code: Int32,
        path: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> StorageError {
        let underlying = SystemCallError(call: call, errno: code)
        return StorageError(
            .ioFailed,
            underlying.description,
            path: path,
            underlying: underlying,
            file: file,
            line: line
        )
    }

    package var description: String { self.message }
}
