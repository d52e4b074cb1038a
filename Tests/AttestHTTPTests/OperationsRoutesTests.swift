// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestFiles
import AttestHTTP
import AttestPQ
import AttestTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// Health, readiness, metrics, and what the server says when its database is gone.
@Suite("operations routes", .requiresDatabase)
struct OperationsRoutesTests {
    @Test("healthz and readyz answer ok on a migrated database")
    func health() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
                #expect(health.text == #"{"status":"ok"}"#)
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(ready.status == .ok)
                #expect(ready.text == #"{"status":"ready"}"#)
            }
        }
    }

    @Test("metrics: Prometheus text with jobs by kind and state, refreshed at each scrape")
    func metrics() async throws {
        try await HTTPFixture.with { fixture in
            _ = try await fixture.reserve()
            try await fixture.test { client in
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(response.text.contains("# TYPE attest_jobs gauge"))
                #expect(
                    response.text.contains(#"attest_jobs{kind="certificate.render",state="available"} 1"#),
                    "\(response.text)")
            }
            try await fixture.pool.query("UPDATE attest.jobs SET state = 'cancelled', finished_at = now()")
            try await fixture.test { client in
                let text = try await client.execute(uri: "/metrics", method: .get).text
                #expect(text.contains(#"attest_jobs{kind="certificate.render",state="available"} 0"#), "\(text)")
                #expect(text.contains(#"attest_jobs{kind="certificate.render",state="cancelled"} 1"#), "\(text)")
            }
        }
    }

    @Test("an unknown route is the same 404 as an unknown code")
    func unknownRoute() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let route = try await client.execute(uri: "/certificates", method: .get)
                let code = try await client.execute(uri: "/v/NOPE", method: .get)
                #expect(route.status == .notFound)
                #expect(route.text == code.text)
                #expect(route.headers[.contentSecurityPolicy] != nil)
                let method = try await client.execute(uri: "/api/completions", method: .get)
                #expect(method.status == .notFound, "a known path with another method is no route either")
                #expect(method.text == #"{"error":"not_found","message":"No certificate has this verification code."}"#)
            }
        }
    }

    @Test("with the database gone: 503 with a generic message, no SQL, no connection string, no stack trace")
    func databaseDown() async throws {
        let storage = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "attest-http-down-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: storage) }
        let url = try #require(IntegrationEnvironment.databaseURL)
        let missing = TestDatabase.url(url, database: "attest_no_such_database")
        let pool = PGPool(
            configuration: .init(connectionString: missing, maximumConnections: 2), logger: Logger(label: "test"))
        let server = try AttestServer(
            configuration: .init(apiToken: HTTPFixture.token),
            pool: pool,
            store: try LocalDocumentStore(root: storage.path),
            registry: PrometheusCollectorRegistry(),
            logger: Logger(label: "test")
        )
        try await server.application().test(.router) { client in
            for (uri, headers) in [
                ("/readyz", [:]), ("/v/\(String(repeating: "A", count: 26))", [:]),
                ("/v/\(String(repeating: "A", count: 26)).json", [:]),
            ] as [(String, HTTPFields)] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status == .serviceUnavailable, "\(uri)")
                for leak in ["SELECT", "attest_no_such_database", "FATAL", "postgres", "Swift", ".swift", "PGError"] {
                    #expect(!response.text.contains(leak), "\(uri) leaks \(leak): \(response.text)")
                }
            }
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
        }
        try await pool.close()
    }
}
