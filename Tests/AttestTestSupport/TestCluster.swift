// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// A private PostgreSQL cluster for one test that must restart or stop its server without disturbing
/// the shared test cluster (started and stopped with `scripts/pg-cluster`).
public final class TestCluster: Sendable {
    public let url: String
    private let directory: URL

    private init(url: String, directory: URL) {
        self.url = url
        self.directory = directory
    }

    /// Starts a cluster, runs `body`, and always stops and deletes it.
    public static func with<R: Sendable>(_ body: (TestCluster) async throws -> R) async throws -> R {
        let parent = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("attest-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent.path)
        let directory = parent.appendingPathComponent("cluster")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = try await Self.script("start", directory)
        let cluster = TestCluster(url: output.trimmingCharacters(in: .whitespacesAndNewlines), directory: directory)
        do {
            let value = try await body(cluster)
            _ = try? await Self.script("stop", directory)
            return value
        } catch {
            _ = try? await Self.script("stop", directory)
            throw error
        }
    }

    /// `pg_ctl restart -m fast`: every open connection is cut; returns when the server accepts connections.
    public func restart() async throws {
        try await Self.script("restart", self.directory)
    }

    @discardableResult
    private static func script(_ action: String, _ directory: URL) async throws -> String {
        let result = try await RunningProcess.run(
            IntegrationEnvironment.repositoryRoot.appendingPathComponent("scripts/pg-cluster"),
            arguments: [action, directory.path]
        )
        guard result.status == 0 else {
            throw TestSupportError("scripts/pg-cluster \(action) failed: \(result.standardError)")
        }
        return result.standardOutput
    }
}
