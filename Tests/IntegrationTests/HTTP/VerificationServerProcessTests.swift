// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestTestSupport
import Foundation
import Testing

/// `attest serve` as a real process, with certificates rendered by the real pipeline.
@Suite("attest serve, live", .requiresDatabase, .serialized)
struct VerificationServerProcessTests {
    @Test("the QR code decoded from a rendered PDF opens the page, which shows that learner's name")
    func scannedQRCodeOpensThePage() async throws {
        try await ServedCertificates.with(names: ["Katherine Johnson"]) { served, certificates in
            let certificate = try #require(certificates.first)
            #expect(certificate.status == .issued)
            let pdf = served.storage.appendingPathComponent(try #require(certificate.documentPath))
            let decoded = try #require(try await PipelineTestSupport.decodeQR(pdf: pdf))
            #expect(decoded == "\(served.baseURL)/v/\(certificate.verificationCode)")

            let page = try await ServedCertificates.fetch(decoded)
            #expect(page.status == 200)
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("Katherine Johnson"))
            #expect(html.contains("Valid certificate"))
            #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)

            let json = try await ServedCertificates.fetch(decoded, accept: "application/json")
            let object = try #require(try JSONSerialization.jsonObject(with: json.body) as? [String: Any])
            #expect(object["learner_name"] as? String == "Katherine Johnson")

            let file = try await ServedCertificates.fetch(decoded + "/certificate.pdf")
            #expect(file.status == 200)
            #expect(file.body == (try Data(contentsOf: pdf)))

            let metrics = try await ServedCertificates.fetch("\(served.baseURL)/metrics")
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains(#"attest_jobs{kind="certificate.render",state="succeeded"} 1"#), "\(text)")
            #expect(text.contains("http_server_request_duration_bucket"), "\(text)")
        }
    }
}
