// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Logging
import Subprocess
import SystemPackage

/// The embedded default's own PostgreSQL: a cluster under `.attest/postgres` that keeps its data between runs,
/// listens only on a Unix socket in its own directory, and is started with `pg_ctl` (as the `postgres` system
/// user when running as root, since PostgreSQL refuses root).
struct PrivateCluster {
    let directory: URL
    private let binaries: URL
    private let logger: Logger

    private var dataDirectory: URL { self.directory.appendingPathComponent("data") }
    private var socketDirectory: URL { self.directory.appendingPathComponent("run") }
    private static let port = 5439

    /// The libpq connection string of the cluster (socket only, trusted local login).
    var connectionString: String {
        "host=\(self.socketDirectory.path) port=\(Self.port) user=postgres dbname=postgres"
    }

    init(directory: URL, logger: Logger) throws {
        self.directory = directory.standardizedFileURL
        self.logger = logger
        let candidates = ["/usr/lib/postgresql/15/bin"]
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin" }
        guard let binaries = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            throw CommandFailure("PostgreSQL's initdb is not installed: run scripts/bootstrap (or set DATABASE_URL)")
        }
        self.binaries = URL(fileURLWithPath: binaries)
    }

    private var isRoot: Bool { getuid() == 0 }

    /// Creates the cluster on first use and starts it unless it already runs.
    func start() async throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: self.socketDirectory, withIntermediateDirectories: true)
        if !fileManager.fileExists(atPath: self.dataDirectory.appendingPathComponent("PG_VERSION").path) {
            self.logger.notice("Creating a private PostgreSQL cluster", metadata: ["cluster.directory": "\(self.directory.path)"])
            try fileManager.createDirectory(at: self.dataDirectory, withIntermediateDirectories: true)
            try await self.chownToPostgres()
            try await self.run(
                "initdb",
                ["-D", self.dataDirectory.path, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
            )
        }
        try await self.chownToPostgres()
        if try await self.isRunning() { return }
        try await self.run(
            "pg_ctl",
            [
                "-D", self.dataDirectory.path, "-l", self.directory.appendingPathComponent("server.log").path, "-w",
                "-t", "60", "-o", "-c listen_addresses='' -k '\(self.socketDirectory.path)' -p \(Self.port)", "start",
            ]
        )
    }

    /// Stops the server (fast shutdown); the data stays for the next run.
    func stop() async {
        _ = try? await self.run("pg_ctl", ["-D", self.dataDirectory.path, "-w", "-t", "60", "-m", "fast", "stop"])
    }

    private func isRunning() async throws -> Bool {
        (try? await self.run("pg_ctl", ["-D", self.dataDirectory.path, "status"])) != nil
    }

    private func chownToPostgres() async throws {
        guard self.isRoot else { return }
        let result = try await Subprocess.run(
            .path("/bin/chown"),
            arguments: ["-R", "postgres:", self.directory.path],
            output: .discarded,
            error: .string(limit: 4096)
        )
        guard result.terminationStatus.isSuccess else {
            throw CommandFailure("cannot hand \(self.directory.path) to the postgres user: \(result.standardError)")
        }
        // PostgreSQL refuses to run as root, so the cluster runs as postgres, which must reach the directory.
        let reachable = try await Subprocess.run(
            .path("/usr/sbin/runuser"),
            arguments: ["-u", "postgres", "--", "/usr/bin/test", "-w", self.directory.path],
            output: .discarded,
            error: .discarded
        )
        guard reachable.terminationStatus.isSuccess else {
            throw CommandFailure(
                "the postgres user cannot reach \(self.directory.path) (PostgreSQL refuses to run as root, so the private "
                    + "cluster runs as postgres): put the checkout outside a private home such as /root, or pass "
                    + "--cluster-directory with a directory postgres can reach, or set DATABASE_URL"
            )
        }
    }

    /// Runs a PostgreSQL program, as `postgres` when root; throws with its output when it fails.
    @discardableResult
    private func run(_ program: String, _ arguments: [String]) async throws -> String {
        let executable = self.binaries.appendingPathComponent(program).path
        let (path, allArguments) = self.isRoot
            ? ("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
            : (executable, arguments)
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: Arguments(allArguments),
            output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20)
        )
        guard result.terminationStatus.isSuccess else {
            let output = result.standardOutput + "\n" + result.standardError
            throw CommandFailure(
                "\(program) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines)) "
                    + "(the postgres user must be able to reach \(self.directory.path))"
            )
        }
        return result.standardOutput
    }
}
