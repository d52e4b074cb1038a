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

    @Test("metrics: Prometheus text with jobs by kind and state as last refreshed; a scrape never counts the jobs")
    func metrics() async throws {
        try await HTTPFixture.with { fixture in
            _ = try await fixture.reserve()
            await fixture.server.refreshJobGauges()
            #expect(fixture.jobCountReads.value == 1)
            try await fixture.test { client in
                for _ in 1...5 {
                    let response = try await client.execute(uri: "/metrics", method: .get)
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    #expect(response.text.contains("# TYPE attest_jobs gauge"))
                    #expect(
                        response.text.contains(#"attest_jobs{kind="certificate.render",state="available"} 1"#),
                        "\(response.text)")
                }
            }
            #expect(fixture.jobCountReads.value == 1, "five scrapes must not query the jobs table")
            try await fixture.pool.query("UPDATE attest.jobs SET state = 'cancelled', finished_at = now()")
            await fixture.server.refreshJobGauges()
            try await fixture.test { client in
                let text = try await client.execute(uri: "/metrics", method: .get).text
                #expect(text.contains(#"attest_jobs{kind="certificate.render",state="available"} 0"#), "\(text)")
                #expect(text.contains(#"attest_jobs{kind="certificate.render",state="cancelled"} 1"#), "\(text)")
            }
        }
    }

    @Test("a connection that never finishes its headers is closed at the idle timeout")
    func unfinishedHeadersAreClosed() async throws {
        #expect(AttestServer.Configuration().idleTimeout <= .seconds(60), "the default must close within 60 s")
        try await HTTPFixture.with(idleTimeout: .seconds(1)) { fixture in
            try await fixture.server.application().test(.live) { client in
                let port = try #require(client.port)
                let socket = try LoopbackSocket(port: port)
                defer { socket.close() }
                try socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                let started = ContinuousClock.now
                // read() returns 0 when the server closes the connection; 30 s is far beyond the 1 s timeout.
                let closed = try socket.waitForClose(within: .seconds(30))
                #expect(closed, "the server kept a connection with unfinished headers open for 30 s")
                #expect(ContinuousClock.now - started < .seconds(30))
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
