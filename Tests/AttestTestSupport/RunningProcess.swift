// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation
import Subprocess
import SystemPackage

/// Runs a program to completion and captures its output: the real `attest` binary, scripts, and tools
/// such as `pdfinfo`.
public struct RunningProcess: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String

    /// Runs `executable` with `arguments`; `environment` entries are added to this process's environment.
    public static func run(
        _ executable: URL,
        arguments: [String],
        environment: [String: String] = [:]
    ) async throws -> RunningProcess {
        try await self.run(executable, arguments: arguments, environment: environment) { _ in }
    }

    /// Finds a tool on PATH, or nil.
    public static func which(_ tool: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let url = URL(fileURLWithPath: String(directory)).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}

extension RunningProcess {
    /// Starts `executable`, runs `whileRunning` with its process id while it runs (to signal it, say), and
    /// returns once both the closure and the process have finished.
    public static func run(
        _ executable: URL,
        arguments: [String],
        environment: [String: String] = [:],
        whileRunning: @escaping @Sendable (_ processID: Int32) async throws -> Void
    ) async throws -> RunningProcess {
        let overrides = Dictionary(
            uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), String?.some($0.value)) }
        )
        let result = try await Subprocess.run(
            .path(FilePath(executable.path)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(overrides),
            input: .none,
            output: .string(limit: 16 << 20),
            error: .string(limit: 16 << 20)
        ) { execution in
            try await whileRunning(execution.processIdentifier.value)
        }
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return RunningProcess(
            status: status,
            standardOutput: result.standardOutput,
            standardError: result.standardError
        )
    }
}
