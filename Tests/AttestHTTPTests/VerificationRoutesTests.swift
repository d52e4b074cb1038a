// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestTestSupport
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /v/{code}`, its JSON, the PDF and the check, in every state a certificate can be in.
@Suite("verification routes", .requiresDatabase)
struct VerificationRoutesTests {
    @Test("a valid certificate: the page shows the verdict and every fact, with security and caching headers")
    func validPage() async throws {
        try await HTTPFixture.with { fixture in
            let (record, pdf) = try await fixture.issue(learnerName: "Ada Lovelace", courseTitle: "Analytical Engines")
            try await fixture.test { client in
                let response = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = response.text
                #expect(page.contains("<html lang=\"en\">"))
                #expect(page.contains("Valid certificate"))
                #expect(page.contains("Ada Lovelace"))
                #expect(page.contains("Analytical Engines"))
                #expect(page.contains("Attest Test Academy"))
                #expect(page.contains("4\u{A0}May\u{A0}2026"))
                #expect(!page.contains("nil"))
                #expect(!page.contains("Program"))
                #expect(!page.contains("Revoked on"))
                #expect(page.contains(record.verificationCode))
                let sha256 = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
                #expect(page.contains(sha256))
                #expect(page.contains("href=\"/v/\(record.verificationCode)/certificate.pdf\""))
                #expect(page.contains("\(HTTPFixture.publicBaseURL)/v/\(record.verificationCode)/check"))
                #expect(!page.contains("<script"))

                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("default-src 'none'"))
                #expect(csp.contains("style-src 'sha256-"))
                #expect(!csp.contains("script-src"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.init("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.init("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.eTag]?.hasPrefix("\"") == true)
            }
        }
    }

    @Test("codes are case-insensitive")
    func lowerCaseCode() async throws {
        try await HTTPFixture.with { fixture in
            let (record, _) = try await fixture.issue()
            try await fixture.test { client in
                let lower = try await client.execute(uri: "/v/\(record.verificationCode.lowercased())", method: .get)
                #expect(lower.status == .ok)
                #expect(lower.text.contains("Valid certificate"))
                let json = try await client.execute(
                    uri: "/v/\(record.verificationCode.lowercased()).json", method: .get)
                #expect(try json.object["code"] as? String == record.verificationCode)
            }
        }
    }

    @Test("JSON by .json or Accept: exactly the contract's fields")
    func validJSON() async throws {
        try await HTTPFixture.with { fixture in
            let (record, pdf) = try await fixture.issue(learnerName: "Zoë Ångström-Müller")
            try await fixture.test { client in
                let bySuffix = try await client.execute(uri: "/v/\(record.verificationCode).json", method: .get)
                let byAccept = try await client.execute(
                    uri: "/v/\(record.verificationCode)",
                    method: .get,
                    headers: [.accept: "application/json"]
                )
                for response in [bySuffix, byAccept] {
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    let object = try response.object
                    #expect(
                        Set(object.keys) == [
                            "code", "status", "learner_name", "course_title", "organisation", "issued_on", "revoked_at",
                            "revocation_reason", "document",
                        ]
                    )
                    #expect(object["code"] as? String == record.verificationCode)
                    #expect(object["status"] as? String == "valid")
                    #expect(object["learner_name"] as? String == "Zoë Ångström-Müller")
                    #expect(object["course_title"] as? String == "Analytical Engines")
                    #expect(object["organisation"] as? String == "Attest Test Academy")
                    #expect(object["issued_on"] as? String == "2026-05-04")
                    #expect(object["revoked_at"] is NSNull)
                    #expect(object["revocation_reason"] is NSNull)
                    let document = try #require(object["document"] as? [String: Any])
                    #expect(Set(document.keys) == ["available", "sha256", "url"])
                    #expect(document["available"] as? Bool == true)
                    #expect(
                        document["sha256"] as? String
                            == SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined())
                    #expect(
                        document["url"] as? String
                            == "\(HTTPFixture.publicBaseURL)/v/\(record.verificationCode)/certificate.pdf")
                }
                #expect(bySuffix.headers[.eTag] != nil)
            }
        }
    }

    @Test("a revoked certificate: the page says so with date and reason, the JSON too")
    func revoked() async throws {
        try await HTTPFixture.with { fixture in
            let (record, _) = try await fixture.issue()
            try await fixture.revoke(record.verificationCode, reason: "issued in error")
            try await fixture.test { client in
                let page = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("Revoked"))
                #expect(page.text.contains("issued in error"))
                #expect(page.text.contains("Reason for revocation"))
                #expect(!page.text.contains("Valid certificate"))
                #expect(page.text.contains(DateFormatting.today))

                let object = try await client.execute(uri: "/v/\(record.verificationCode).json", method: .get).object
                #expect(object["status"] as? String == "revoked")
                #expect(object["revocation_reason"] as? String == "issued in error")
                let revokedAt = try #require(object["revoked_at"] as? String)
                #expect(revokedAt.hasPrefix(String(DateFormatting.isoToday)))
                #expect((object["document"] as? [String: Any])?["available"] as? Bool == true)
            }
        }
    }

    @Test("a purged certificate: valid with document removed, the PDF answers 410, the check still works")
    func purged() async throws {
        try await HTTPFixture.with { fixture in
            let (record, pdf) = try await fixture.issue()
            try await fixture.purge(record)
            try await fixture.test { client in
                let page = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("Valid · document removed"))
                #expect(page.text.contains("has been removed from this server"))
                #expect(!page.text.contains("certificate.pdf\""))

                let object = try await client.execute(uri: "/v/\(record.verificationCode).json", method: .get).object
                #expect(object["status"] as? String == "valid")
                let document = try #require(object["document"] as? [String: Any])
                #expect(document["available"] as? Bool == false)
                #expect(document["url"] is NSNull)

                let file = try await client.execute(uri: "/v/\(record.verificationCode)/certificate.pdf", method: .get)
                #expect(file.status == .gone)
                #expect(file.text.contains("Document removed"))

                let check = try await client.execute(
                    uri: "/v/\(record.verificationCode)/check",
                    method: .post,
                    body: ByteBuffer(bytes: pdf)
                )
                #expect(check.status == .ok)
                #expect(try check.object["match"] as? Bool == true)
            }
        }
    }

    @Test("unknown, malformed and pending codes get the same 404, as a page and as JSON")
    func unknownAndMalformed() async throws {
        try await HTTPFixture.with { fixture in
            let pending = try await fixture.reserve()
            try await fixture.test { client in
                let unknown = VerificationCode.random().text
                let paths = [
                    unknown, "not-a-code", "%3Cscript%3E", String(repeating: "A", count: 27), pending.verificationCode,
                ]
                var pages: Set<String> = []
                var documents: Set<String> = []
                for path in paths {
                    let page = try await client.execute(uri: "/v/\(path)", method: .get)
                    #expect(page.status == .notFound, "\(path)")
                    pages.insert(page.text)
                    let json = try await client.execute(uri: "/v/\(path).json", method: .get)
                    #expect(json.status == .notFound, "\(path)")
                    documents.insert(json.text)
                    let pdf = try await client.execute(uri: "/v/\(path)/certificate.pdf", method: .get)
                    #expect(pdf.status == .notFound, "\(path)")
                }
                #expect(pages.count == 1)
                #expect(pages.first?.contains("Certificate not found") == true)
                #expect(pages.first?.contains("What you can do") == true)
                #expect(documents == [#"{"error":"not_found","message":"No certificate has this verification code."}"#])
            }
        }
    }

    @Test("the PDF: its bytes, application/pdf, a filename, and 304 for its ETag")
    func document() async throws {
        try await HTTPFixture.with { fixture in
            let (record, pdf) = try await fixture.issue()
            try await fixture.test { client in
                let path = "/v/\(record.verificationCode.lowercased())/certificate.pdf"
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/pdf")
                #expect(
                    response.headers[.contentDisposition]
                        == "inline; filename=\"certificate-\(record.verificationCode).pdf\"")
                #expect(Array(response.body.readableBytesView) == pdf)
                #expect(response.headers[.contentSecurityPolicy] != nil)
                let tag = try #require(response.headers[.eTag])
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == .ok)
                #expect(head.headers[.eTag] == tag)
                let again = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: tag])
                #expect(again.status == .notModified)
                #expect(again.body.readableBytes == 0)
            }
        }
    }

    @Test("ETag: 304 while nothing changed, a new tag once the certificate is revoked")
    func entityTags() async throws {
        try await HTTPFixture.with { fixture in
            let (record, _) = try await fixture.issue()
            let path = "/v/\(record.verificationCode)"
            let tag = try await fixture.test { client in
                let first = try await client.execute(uri: path, method: .get)
                let tag = try #require(first.headers[.eTag])
                let cached = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: tag])
                #expect(cached.status == .notModified)
                #expect(cached.headers[.eTag] == tag)
                let json = try await client.execute(uri: path + ".json", method: .get)
                #expect(json.headers[.eTag] != tag)
                return tag
            }
            try await fixture.revoke(record.verificationCode, reason: "superseded")
            try await fixture.test { client in
                let after = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: tag])
                #expect(after.status == .ok)
                #expect(after.text.contains("Revoked"))
                #expect(after.headers[.eTag] != tag)
            }
        }
    }

    @Test("check: the issued bytes match, anything else does not, more than 20 MiB is refused")
    func check() async throws {
        try await HTTPFixture.with { fixture in
            let (record, pdf) = try await fixture.issue()
            try await fixture.test { client in
                let path = "/v/\(record.verificationCode)/check"
                let same = try await client.execute(uri: path, method: .post, body: ByteBuffer(bytes: pdf))
                #expect(same.status == .ok)
                #expect(same.text == #"{"match":true}"#)
                var altered = pdf
                altered[altered.count - 2] ^= 1
                let different = try await client.execute(uri: path, method: .post, body: ByteBuffer(bytes: altered))
                #expect(different.text == #"{"match":false}"#)
                let empty = try await client.execute(uri: path, method: .post)
                #expect(empty.text == #"{"match":false}"#)
                let huge = try await client.execute(
                    uri: path,
                    method: .post,
                    body: ByteBuffer(repeating: 0x25, count: (20 << 20) + 1)
                )
                #expect(huge.status == .contentTooLarge)
                #expect(try huge.object["error"] as? String == "content_too_large")
                let unknown = try await client.execute(
                    uri: "/v/\(VerificationCode.random().text)/check",
                    method: .post,
                    body: ByteBuffer(bytes: pdf)
                )
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test("check from the page's form: multipart upload, an HTML answer for the same file and for another one")
    func checkFromForm() async throws {
        try await HTTPFixture.with { fixture in
            let (record, pdf) = try await fixture.issue()
            let boundary = "----attest-form-7MA4YWxkTrZu0gW"
            @Sendable func form(_ file: [UInt8]) -> ByteBuffer {
                var body = ByteBuffer()
                body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
                body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"; ")
                body.writeString("filename=\"certificate.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                body.writeBytes(file)
                body.writeString("\r\n--\(boundary)--\r\n")
                return body
            }
            let headers: HTTPFields = [
                .contentType: "multipart/form-data; boundary=\(boundary)", .accept: "text/html,*/*;q=0.8",
            ]
            try await fixture.test { client in
                let path = "/v/\(record.verificationCode)/check"
                let page = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get)
                #expect(page.text.contains("enctype=\"multipart/form-data\""))
                #expect(page.text.contains("action=\"\(path)\""))

                let same = try await client.execute(uri: path, method: .post, headers: headers, body: form(pdf))
                #expect(same.status == .ok)
                #expect(same.headers[.contentType] == "text/html; charset=utf-8")
                #expect(same.text.contains("Identical to the issued file"))
                let other = try await client.execute(
                    uri: path, method: .post, headers: headers, body: form(pdf + [0x0A]))
                #expect(other.text.contains("Not the issued file"))

                var json = headers
                json[.accept] = "application/json"
                let answer = try await client.execute(uri: path, method: .post, headers: json, body: form(pdf))
                #expect(answer.text == #"{"match":true}"#)

                var empty = ByteBuffer()
                empty.writeString(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--\(boundary)--\r\n")
                let none = try await client.execute(uri: path, method: .post, headers: headers, body: empty)
                #expect(none.status == .badRequest)
                #expect(none.text.contains("choose the PDF to check"))
            }
        }
    }

    @Test("a learner named <script>alert(1)</script> is shown as text, never as markup")
    func htmlEscaping() async throws {
        try await HTTPFixture.with { fixture in
            let (record, _) = try await fixture.issue(
                learnerName: "<script>alert(1)</script>",
                courseTitle: "\"><img src=x onerror=alert(2)>",
                organisation: "O'Brien & Sons"
            )
            try await fixture.test { client in
                let page = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get).text
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!page.contains("<script"))
                #expect(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
                #expect(!page.contains("<img"))
                #expect(page.contains("O&#39;Brien &amp; Sons"))
                let object = try await client.execute(uri: "/v/\(record.verificationCode).json", method: .get).object
                #expect(object["learner_name"] as? String == "<script>alert(1)</script>")
            }
        }
    }

    @Test("300 concurrent lookups through one query at a time: each request gets its own certificate's truth")
    func coalescedLookups() async throws {
        try await HTTPFixture.with(maximumConcurrentLookups: 1) { fixture in
            var expected: [String: String] = [:]
            for index in 0..<30 {
                let (record, _) = try await fixture.issue(learnerName: "Learner \(index)")
                if index % 3 == 0 {
                    try await fixture.revoke(record.verificationCode, reason: "reason \(index)")
                    expected[record.verificationCode] = "revoked"
                } else {
                    expected[record.verificationCode] = "valid"
                }
            }
            let pending = try await fixture.reserve().verificationCode
            expected[pending] = "not_found"
            expected[VerificationCode.random().text] = "not_found"
            let codes = Array(expected.keys)
            let answers = try await fixture.test { client in
                try await withThrowingTaskGroup(of: (String, String).self) { group in
                    for request in 0..<300 {
                        let code = codes[request % codes.count]
                        group.addTask {
                            let object = try await client.execute(uri: "/v/\(code).json", method: .get).object
                            return (code, (object["status"] as? String) ?? (object["error"] as? String) ?? "?")
                        }
                    }
                    return try await group.reduce(into: [(String, String)]()) { $0.append($1) }
                }
            }
            #expect(answers.count == 300)
            for (code, answer) in answers {
                #expect(answer == expected[code], "\(code)")
            }
        }
    }

    @Test("an Arabic name is written as is, in its own direction")
    func rightToLeftName() async throws {
        try await HTTPFixture.with { fixture in
            let (record, _) = try await fixture.issue(learnerName: "فاطمة الزهراء")
            try await fixture.test { client in
                let page = try await client.execute(uri: "/v/\(record.verificationCode)", method: .get).text
                #expect(page.contains("<p class=\"name\" dir=\"auto\">فاطمة الزهراء</p>"))
            }
        }
    }
}

/// Today's date as the page and the JSON write it.
enum DateFormatting {
    static var today: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(parts.day!)\u{A0}\(months[parts.month! - 1])\u{A0}\(parts.year!)"
    }

    static var isoToday: Substring {
        Date().formatted(.iso8601).prefix(10)
    }
}
