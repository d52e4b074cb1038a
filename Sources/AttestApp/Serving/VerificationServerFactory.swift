// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestFiles
import AttestHTTP
import AttestPQ
import AttestQueue
import Foundation
import Logging
import Prometheus

/// Builds the verification server from the settings, for `attest serve` and `attest demo`.
enum VerificationServerFactory {
    static func make(
        settings: AttestSettings,
        host: String,
        port: Int,
        pool: PGPool,
        registry: PrometheusCollectorRegistry,
        logger: Logger
    ) throws -> AttestServer {
        var configuration = AttestServer.Configuration(
            host: host,
            port: port,
            publicBaseURL: settings.publicBaseURL,
            apiToken: settings.apiToken
        )
        configuration.expectedSchemaVersion = try Migration.bundled().map(\.version).max() ?? 0
        configuration.records = Self.records(settings: settings, logger: logger)
        let administration = JobAdministration(pool: pool)
        return try AttestServer(
            configuration: configuration,
            pool: pool,
            store: try LocalDocumentStore(root: settings.storageDirectory),
            registry: registry,
            jobCounts: {
                try await administration.stats().counts.map {
                    AttestServer.JobCount(kind: $0.kind, state: $0.state.rawValue, count: $0.count)
                }
            },
            logger: logger
        )
    }

    /// Host and port of a URL such as `http://127.0.0.1:8080/`; the scheme's default port when none is given.
    static func hostAndPort(of url: String) -> (host: String, port: Int)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" }
        let defaultPort = url.hasPrefix("https") ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? defaultPort : defaultPort)
        }
        let parts = authority.split(separator: ":", maxSplits: 1)
        guard let host = parts.first.map(String.init), !host.isEmpty else { return nil }
        return (host, parts.count == 2 ? Int(parts[1]) ?? defaultPort : defaultPort)
    }
}
