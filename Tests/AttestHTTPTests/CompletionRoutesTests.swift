// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /api/completions`: the token, the limits, validation and idempotency.
@Suite("completion API", .requiresDatabase)
struct CompletionRoutesTests {
    private static let authorized: HTTPFields = [
        .authorization: "Bearer \(HTTPFixture.token)", .contentType: "application/json",
    ]

    private static func completion(_ id: String, name: String = "Grace Hopper") -> [String: Any] {
        [
            "external_id": id, "learner_id": "learner-7", "learner_name": name, "course_id": "cobol-1",
            "course_title": "COBOL", "organisation": "Navy", "completed_at": "2026-03-01T09:30:00+01:00",
        ]
    }

    private static func body(_ value: Any) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value))
    }

    @Test("one completion, then the same again: accepted once, a duplicate the second time, its job enqueued")
    func acceptsAndDeduplicates() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let first = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: try Self.body(Self.completion("api-1"))
                )
                #expect(first.status == .accepted)
                let accepted = try #require(try first.object["accepted"] as? [String])
                #expect(accepted.count == 1)
                #expect(UUID(uuidString: accepted[0]) != nil)
                #expect(try first.object["duplicates"] as? Int == 0)

                let again = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: try Self.body([Self.completion("api-1"), Self.completion("api-2")])
                )
                #expect(again.status == .accepted)
                #expect((try again.object["accepted"] as? [String])?.count == 1)
                #expect(try again.object["duplicates"] as? Int == 1)

                let twice = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: try Self.body([Self.completion("api-3"), Self.completion("api-3")])
                )
                #expect(twice.status == .accepted)
                #expect((try twice.object["accepted"] as? [String])?.count == 1)
                #expect(try twice.object["duplicates"] as? Int == 1)
            }
            #expect(try await fixture.completionCount() == 3)
            let jobs = try await fixture.pool.query(
                "SELECT count(*)::bigint AS n FROM attest.jobs WHERE kind = 'certificate.render'")
            #expect(try jobs[0].decode("n", as: Int.self) == 3)
        }
    }

    @Test("a batch with invalid elements: 422 naming index and field of each problem, nothing accepted")
    func rejectsWholeBatch() async throws {
        try await HTTPFixture.with { fixture in
            var noName = Self.completion("bad-1")
            noName.removeValue(forKey: "learner_name")
            var badDate = Self.completion("bad-2", name: "Bell\u{7}")
            badDate["completed_at"] = "yesterday"
            let body = try Self.body([Self.completion("good-1"), noName, badDate, "not an object"])
            try await fixture.test { client in
                let response = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: body
                )
                #expect(response.status == .unprocessableContent)
                let errors = try #require(try response.object["errors"] as? [[String: Any]])
                let summary = errors.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "?")" }
                #expect(summary == ["1:learner_name", "2:learner_name", "2:completed_at", "3:$"], "\(errors)")
                #expect(errors.allSatisfy { ($0["message"] as? String)?.isEmpty == false })
            }
            #expect(try await fixture.completionCount() == 0)
        }
    }

    @Test("no token, a wrong token, another scheme: 401 with WWW-Authenticate, nothing stored")
    func unauthorized() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let body = try Self.body(Self.completion("sneaky"))
                let attempts: [HTTPFields] = [
                    [:],
                    [.authorization: "Bearer wrong-token-0123456789abcdef"],
                    [.authorization: "Bearer \(HTTPFixture.token)x"],
                    [.authorization: "Basic \(HTTPFixture.token)"],
                    [.authorization: "Bearer"],
                ]
                for headers in attempts {
                    let response = try await client.execute(
                        uri: "/api/completions", method: .post, headers: headers, body: body)
                    #expect(response.status == .unauthorized, "\(headers)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    #expect(try response.object["error"] as? String == "unauthorized")
                    #expect(!response.text.contains(HTTPFixture.token))
                }
                let lowerCaseScheme = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: [.authorization: "bearer \(HTTPFixture.token)"],
                    body: body
                )
                #expect(lowerCaseScheme.status == .accepted)
            }
            #expect(try await fixture.completionCount() == 1)
        }
    }

    @Test("without ATTEST_API_TOKEN the API is off, even for a caller that guesses a token")
    func disabled() async throws {
        try await HTTPFixture.with(apiToken: nil) { fixture in
            try await fixture.test { client in
                let response = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: [.authorization: "Bearer anything"],
                    body: try Self.body(Self.completion("x"))
                )
                #expect(response.status == .notFound)
                #expect(try response.object["error"] as? String == "api_disabled")
            }
            #expect(try await fixture.completionCount() == 0)
        }
    }

    @Test("limits: more than 1,000 completions or more than 8 MiB are refused with 413; malformed JSON is a 400")
    func limits() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let many = (0...1_000).map { Self.completion("bulk-\($0)") }
                let tooMany = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: try Self.body(many)
                )
                #expect(tooMany.status == .contentTooLarge)
                #expect(try tooMany.object["message"] as? String == "At most 1000 completions per request, not 1001.")

                let oversize = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: ByteBuffer(repeating: 0x20, count: (8 << 20) + 1)
                )
                #expect(oversize.status == .contentTooLarge)

                let malformed = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: ByteBuffer(string: "{\"external_id\": ")
                )
                #expect(malformed.status == .badRequest)
                #expect(try malformed.object["error"] as? String == "bad_request")

                let thousand = try await client.execute(
                    uri: "/api/completions",
                    method: .post,
                    headers: Self.authorized,
                    body: try Self.body(Array(many.prefix(1_000)))
                )
                #expect(thousand.status == .accepted)
                #expect((try thousand.object["accepted"] as? [String])?.count == 1_000)
            }
            #expect(try await fixture.completionCount() == 1_000)
        }
    }
}
