// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Testing

/// Runs the command-line tools that check real output (poppler-utils, zbar-tools).
///
/// Tests that need them are enabled only when they are installed; with `REQUIRE_INTEGRATION=1` they always run,
/// so a missing tool fails them instead of skipping them.
enum ExternalTools {
    static let requireIntegration = ProcessInfo.processInfo.environment["REQUIRE_INTEGRATION"] == "1"

    /// The full path of `name` on `PATH`, if it is installed.
    static func path(of name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether every tool is installed, or integration is required (then a missing tool fails the test).
    static func usable(_ names: String...) -> Bool {
        self.requireIntegration || names.allSatisfy { self.path(of: $0) != nil }
    }

    /// The message a skipped test shows.
    static func skipMessage(_ names: String...) -> Comment {
        "needs \(names.joined(separator: ", ")) (poppler-utils, zbar-tools: scripts/bootstrap installs them)"
    }

    /// Runs a tool to completion and returns its standard output; throws if it is missing or exits non-zero.
    @discardableResult
    static func run(_ name: String, _ arguments: [String]) throws -> String {
        guard let path = self.path(of: name) else {
            throw ToolFailure(description: "\(name) is not installed (REQUIRE_INTEGRATION=1 makes that a failure)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and block the tool.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(
                description: "\(name) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                    + String(decoding: errorData, as: UTF8.self)
            )
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A failed tool run.
    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }
}

/// A directory of its own for one test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        self.url = FileManager.default.temporaryDirectory
            .appendingPathComponent("attest-rendering-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: self.url)
    }

    func path(_ name: String) -> String {
        self.url.appendingPathComponent(name).path
    }

    /// Writes bytes to a file in the directory and returns its path.
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let path = self.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
