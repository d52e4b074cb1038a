// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `/r/{token}` and the records API through the router: sharing, the page, the CSV, taking links back, the
/// same 404 for every dead link, the token and the switch.
@Suite("program record routes", .requiresDatabase)
struct RecordRoutesTests {
    private static let authorized: HTTPFields = [
        .authorization: "Bearer \(RecordsHTTPFixture.token)", .contentType: "application/json",
    ]
    private static let shareBody = ByteBuffer(string: #"{"learner_id": "learner-web", "program_id": "web"}"#)

    private func share(_ client: any TestClientProtocol) async throws -> (
        status: HTTPResponse.Status, url: String, token: String
    ) {
        let response = try await client.execute(
            uri: "/api/records/share",
            method: .post,
            headers: Self.authorized,
            body: Self.shareBody
        )
        let object = try response.object
        return (response.status, object["url"] as? String ?? "", object["token"] as? String ?? "")
    }

    @Test("share → the same link twice; page and CSV public and escaped; unshare → 404 at once; reshare → new token")
    func lifecycle() async throws {
        try await RecordsHTTPFixture.with { fixture in
            try await fixture.test { client in
                let first = try await self.share(client)
                #expect(first.status == .created)
                #expect(first.url == "\(RecordsHTTPFixture.publicBaseURL)/r/\(first.token)")
                #expect(ShareToken(parsing: first.token) != nil)
                let second = try await self.share(client)
                #expect(second.status == .ok)
                #expect(second.token == first.token)

                let page = try await client.execute(uri: "/r/\(first.token)", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                let html = page.text
                #expect(!html.contains("<script>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Zoë &amp; فاطمة"))
                #expect(html.contains("Web &amp; &lt;Security&gt;"))
                #expect(html.contains("2 of 4 courses earned"))
                #expect(html.contains(#"1 · <span class="valid">Earned</span> · grade 90%"#))
                #expect(html.contains(#"2 · <span class="valid">Earned</span> · grade 85%"#))
                #expect(html.contains(#"3 · <span class="revoked">Revoked</span> · <time datetime="2026-05-04">"#))
                #expect(html.contains(#"4 · <span class="unknown">Not earned</span></dt>"#))
                #expect(html.contains("\(RecordsHTTPFixture.publicBaseURL)/v/\(fixture.codes["w-2b"]!)"))
                #expect(html.contains(#"name="viewport""#))
                #expect(!html.contains("nil"))
                #expect(html.contains(#"href="\#(first.token).pdf""#))
                #expect(html.contains(#"href="\#(first.token).csv""#))

                let csv = try await client.execute(uri: "/r/\(first.token.lowercased()).csv", method: .get)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv; charset=utf-8") == true)
                let bytes = Array(csv.body.readableBytesView)
                #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
                #expect(lines.count == 6)
                #expect(lines[2].contains(",2,c-2,TLS,Earned,85%,2026-05-03,"))
                #expect(lines[3].contains(",3,c-3,Cookies,Revoked,,2026-05-04,"))

                let unshare = try await client.execute(
                    uri: "/api/records/share/\(first.token)",
                    method: .delete,
                    headers: Self.authorized
                )
                #expect(unshare.status == .noContent)
                for suffix in ["", ".csv", ".pdf"] {
                    #expect(
                        try await client.execute(uri: "/r/\(first.token)\(suffix)", method: .get).status == .notFound
                    )
                }
                let again = try await client.execute(
                    uri: "/api/records/share/\(first.token)",
                    method: .delete,
                    headers: Self.authorized
                )
                #expect(again.status == .notFound)

                let reshared = try await self.share(client)
                #expect(reshared.status == .created)
                #expect(reshared.token != first.token)
                #expect(try await client.execute(uri: "/r/\(reshared.token)", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/r/\(first.token)", method: .get).status == .notFound)
            }
        }
    }

    @Test("unknown, malformed and unshared links get the same 404, page or JSON")
    func sameNotFound() async throws {
        try await RecordsHTTPFixture.with { fixture in
            try await fixture.test { client in
                let shared = try await self.share(client)
                _ = try await client.execute(
                    uri: "/api/records/share/\(shared.token)",
                    method: .delete,
                    headers: Self.authorized
                )
                let links = [
                    ShareToken.random().text, "not-a-token", String(repeating: "A", count: 500), "%3Cscript%3E",
                    VerificationCode.random().text, shared.token,
                ]
                var bodies = Set<String>()
                for link in links {
                    let response = try await client.execute(uri: "/r/\(link)", method: .get)
                    #expect(response.status == .notFound, "\(link)")
                    #expect(response.headers[.cacheControl] == "no-store")
                    bodies.insert(response.text)
                    let csv = try await client.execute(uri: "/r/\(link).csv", method: .get)
                    #expect(csv.status == .notFound)
                    bodies.insert(csv.text)
                }
                #expect(bodies.count == 1)
                #expect(bodies.first?.contains("Record not found") == true)
                let json = try await client.execute(
                    uri: "/r/\(links[0])",
                    method: .get,
                    headers: [.accept: "application/json"]
                )
                #expect(json.status == .notFound)
                #expect(try json.object["error"] as? String == "not_found")
                // Nothing lists records publicly.
                #expect(try await client.execute(uri: "/r/", method: .get).status == .notFound)
                #expect(
                    try await client.execute(uri: "/api/learners/learner-web/records", method: .get).status
                        == .unauthorized
                )
            }
        }
    }

    @Test("the learner's programs with progress and share link, behind the token")
    func learnerRecords() async throws {
        try await RecordsHTTPFixture.with { fixture in
            try await fixture.test { client in
                let shared = try await self.share(client)
                let response = try await client.execute(
                    uri: "/api/learners/learner-web/records",
                    method: .get,
                    headers: Self.authorized
                )
                #expect(response.status == .ok)
                let object = try response.object
                #expect(object["learner_id"] as? String == "learner-web")
                let programs = try #require(object["programs"] as? [[String: Any]])
                #expect(programs.count == 1)
                #expect(programs.first?["program_id"] as? String == "web")
                #expect(programs.first?["earned"] as? Int == 2)
                #expect(programs.first?["total"] as? Int == 4)
                #expect(programs.first?["share_url"] as? String == shared.url)
                #expect((programs.first?["shared_at"] as? String)?.hasPrefix("20") == true)

                let nobody = try await client.execute(
                    uri: "/api/learners/nobody/records",
                    method: .get,
                    headers: Self.authorized
                )
                #expect((try nobody.object["programs"] as? [Any])?.isEmpty == true)
                let unknown = try await client.execute(
                    uri: "/api/records/share",
                    method: .post,
                    headers: Self.authorized,
                    body: ByteBuffer(string: #"{"learner_id": "learner-web", "program_id": "nope"}"#)
                )
                #expect(unknown.status == .notFound)
                let malformed = try await client.execute(
                    uri: "/api/records/share",
                    method: .post,
                    headers: Self.authorized,
                    body: ByteBuffer(string: #"{"learner_id": 7}"#)
                )
                #expect(malformed.status == .badRequest)
                let wrongToken = try await client.execute(
                    uri: "/api/records/share",
                    method: .post,
                    headers: [.authorization: "Bearer wrong-token-0123456789"],
                    body: Self.shareBody
                )
                #expect(wrongToken.status == .unauthorized)
            }
        }
    }

    @Test("with records switched off, /r/ answers the same 404 and the API refuses; taking a link back still works")
    func switchedOff() async throws {
        let token = ShareToken.random().text
        try await RecordsHTTPFixture.with(recordsEnabled: false) { fixture in
            let share = try await fixture.pool.withConnection { connection in
                try await RecordShareRepository().share(
                    learnerID: "learner-web",
                    programID: "web",
                    createdBy: "test",
                    on: connection
                )
            }.share
            try await fixture.test { client in
                let page = try await client.execute(uri: "/r/\(share.token)", method: .get)
                let unknown = try await client.execute(uri: "/r/\(token)", method: .get)
                #expect(page.status == .notFound)
                #expect(page.text == unknown.text)
                let refused = try await client.execute(
                    uri: "/api/records/share",
                    method: .post,
                    headers: Self.authorized,
                    body: Self.shareBody
                )
                #expect(refused.status == .notFound)
                #expect((try refused.object["message"] as? String)?.contains("ATTEST_RECORDS_ENABLED=false") == true)
                let list = try await client.execute(
                    uri: "/api/learners/learner-web/records",
                    method: .get,
                    headers: Self.authorized
                )
                #expect(list.status == .notFound)
                let unshare = try await client.execute(
                    uri: "/api/records/share/\(share.token)",
                    method: .delete,
                    headers: Self.authorized
                )
                #expect(unshare.status == .noContent)
            }
        }
    }
}
