// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// A fresh temporary directory for one test: `root` for the store, `outside` for what must stay untouched.
struct Sandbox {
    /// The temporary directory that holds everything else.
    let base: URL
    /// Where the store under test keeps its files (created by the store itself).
    var root: String { self.base.appendingPathComponent("root").path }
    /// A sibling of the root that nothing may write into or delete from.
    var outside: String { self.base.appendingPathComponent("outside").path }

    /// Runs `body` with a new sandbox and removes the sandbox afterwards.
    static func with(_ body: (Sandbox) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("attest-files-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: base) }
        let sandbox = Sandbox(base: base)
        try FileManager.default.createDirectory(atPath: sandbox.outside, withIntermediateDirectories: false)
        try await body(sandbox)
    }

    /// Every entry below `directory`, relative and sorted, including temporary files and links.
    func entries(below directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }

    /// Every entry below `outside`.
    func outsideEntries() throws -> [String] {
        try self.entries(below: self.outside)
    }

    /// Writes `text` to a file at `path` (absolute).
    func writeFile(_ text: String, at path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The contents of the file at `path` (absolute), as text.
    func contents(of path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// Makes a symbolic link at `path` pointing at `destination` (both absolute).
    func link(_ path: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: destination)
    }
}
