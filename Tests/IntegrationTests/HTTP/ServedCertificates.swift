// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Glibc

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Certificates rendered by the real pipeline (`attest worker --drain`) and a real `attest serve` process on a
/// free loopback port, for the live and browser tests.
struct ServedCertificates {
    let environment: [String: String]
    let storage: URL
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Submits one completion per name, renders them with a worker process, runs `attest` with `command`
    /// (`serve` by default), and calls `body` with the certificates while it serves; the process is stopped with
    /// `signal` afterwards and must exit 0. Returns what the process printed.
    @discardableResult
    static func with(
        names: [String],
        command: [String] = ["serve"],
        environment extra: [String: String] = [:],
        signal: Int32 = SIGTERM,
        _ body: @escaping @Sendable (ServedCertificates, [CertificateRecord], PGPool) async throws -> Void
    ) async throws -> RunningProcess {
        let storage = try PipelineTestSupport.temporaryDirectory("served")
        defer { try? FileManager.default.removeItem(at: storage) }
        var result: RunningProcess?
        try await TestDatabase.withPool { database, pool in
            let port = try LoopbackPort.free()
            var environment = PipelineTestSupport.environment(databaseURL: database.url, storage: storage)
            environment["ATTEST_PUBLIC_URL"] = "http://127.0.0.1:\(port)"
            environment.merge(extra) { $1 }
            let served = ServedCertificates(environment: environment, storage: storage, port: port)
            let documents = names.enumerated().map { index, name in
                Self.completion(externalID: "served-\(index)", name: name)
            }
            _ = try await pool.withConnection { try await CompletionRepository().submit(documents, on: $0) }
            let executable = try IntegrationEnvironment.attestExecutable
            if !documents.isEmpty {
                let drain = try await RunningProcess.run(
                    executable, arguments: ["worker", "--drain"], environment: environment)
                guard drain.status == 0 else {
                    throw TestSupportError("attest worker --drain failed: \(drain.standardError)")
                }
            }
            let certificates = try await pool.withConnection { connection in
                try await CertificateRepository().list(
                    externalIDs: names.indices.map { "served-\($0)" }, on: connection)
            }.map(\.certificate)

            let server = try await RunningProcess.run(executable, arguments: command, environment: environment) {
                processID in
                do {
                    try await served.waitUntilHealthy()
                    try await body(served, certificates, pool)
                } catch {
                    kill(processID, SIGTERM)
                    throw error
                }
                kill(processID, signal)
            }
            guard server.status == 0 else {
                throw TestSupportError("attest \(command[0]) exited with \(server.status): \(server.standardError)")
            }
            result = server
        }
        guard let result else { throw TestSupportError("the served process did not run") }
        return result
    }

    /// Sends a request; returns the status, body and headers (lower-cased names).
    static func fetch(
        _ url: String,
        accept: String? = nil,
        method: String = "GET",
        headers extra: [String: String] = [:],
        body: Data? = nil
    ) async throws -> (status: Int, body: Data, headers: [String: String]) {
        guard let target = URL(string: url) else { throw TestSupportError("not a URL: \(url)") }
        var request = URLRequest(url: target)
        request.timeoutInterval = 10
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestSupportError("no HTTP response from \(url)") }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return (http.statusCode, data, headers)
    }

    private func waitUntilHealthy() async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let health = try? await Self.fetch("\(self.baseURL)/readyz"), health.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("attest serve did not become ready on port \(self.port) within 120 seconds")
    }

    private static func completion(externalID: String, name: String) -> String {
        let object: [String: Any] = [
            "external_id": externalID, "learner_id": "served-learner", "learner_name": name,
            "course_id": "verification-101", "course_title": "Verifying Certificates",
            "organisation": "Attest Test Academy", "completed_at": "2026-05-04T12:00:00Z",
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
