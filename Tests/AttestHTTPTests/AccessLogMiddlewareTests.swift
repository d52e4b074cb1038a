// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing

/// The access log: one structured line per request, with the route template and never a code or a token.
@Suite("access log", .requiresDatabase)
struct AccessLogMiddlewareTests {
    @Test("one debug line per request: method, route, status, size, duration; no code, no token, no body")
    func accessLog() async throws {
        var logs = InMemoryLogHandler()
        logs.logLevel = .debug
        let handler = logs
        let logger = Logger(label: "test", factory: { _ in handler })
        try await HTTPFixture.with(logger: logger) { fixture in
            let (record, _) = try await fixture.issue()
            try await fixture.test { client in
                _ = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get)
                _ = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: [.authorization: "Bearer \(HTTPFixture.token)"],
                    body: ByteBuffer(string: #"{"external_id": "secret-body"}"#)
                )
            }
            let lines = handler.entries.filter { $0.message == "Answered request" }
            #expect(lines.count == 2)
            let page = try #require(lines.first)
            #expect(page.level == .debug)
            #expect(page.metadata["http.request.method"] == "GET")
            #expect(page.metadata["http.route"] == "/v/{code}")
            #expect(page.metadata["http.response.status_code"] == "200")
            #expect(page.metadata["http.server.duration_ms"] != nil)
            #expect(lines.last?.metadata["http.response.status_code"] == "422")
            let everything = handler.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(!everything.contains(HTTPFixture.token))
            #expect(!everything.contains("secret-body"))
            #expect(!everything.contains(record.verificationCode))
        }
    }
}
