// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Glibc
import Testing

/// `attest serve` as a real process, with certificates rendered by the real pipeline.
@Suite("attest serve, live", .requiresDatabase, .serialized)
struct VerificationServerProcessTests {
    @Test("the QR code decoded from a rendered PDF opens the page, which shows that learner's name")
    func scannedQRCodeOpensThePage() async throws {
        try await ServedCertificates.with(names: ["Katherine Johnson"]) { served, certificates, _ in
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

    @Test("serve --with-worker: a completion posted to the API is rendered in the same process and its page served")
    func withWorker() async throws {
        let token = "live-token-0123456789abcdef"
        try await ServedCertificates.with(
            names: [],
            command: ["serve", "--with-worker"],
            environment: ["ATTEST_API_TOKEN": token]
        ) { served, _, pool in
            let completion: [String: Any] = [
                "external_id": "api-live-1", "learner_id": "l-1", "learner_name": "Dorothy Vaughan",
                "course_id": "fortran", "course_title": "FORTRAN", "organisation": "NACA",
                "completed_at": "2026-02-02T10:00:00Z",
            ]
            let posted = try await ServedCertificates.fetch(
                "\(served.baseURL)/api/completions",
                method: "POST",
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                body: try JSONSerialization.data(withJSONObject: completion)
            )
            #expect(posted.status == 202, "\(String(decoding: posted.body, as: UTF8.self))")

            let deadline = ContinuousClock.now + .seconds(60)
            var certificate: CertificateRecord?
            while ContinuousClock.now < deadline {
                certificate = try await pool.withConnection { connection in
                    try await CertificateRepository().list(externalIDs: ["api-live-1"], on: connection).first?
                        .certificate
                }
                if certificate?.status == .issued { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let issued = try #require(certificate)
            #expect(issued.status == .issued)
            let page = try await ServedCertificates.fetch("\(served.baseURL)/v/\(issued.verificationCode)")
            #expect(page.status == 200)
            #expect(String(decoding: page.body, as: UTF8.self).contains("Dorothy Vaughan"))
            let metrics = String(
                decoding: try await ServedCertificates.fetch("\(served.baseURL)/metrics").body, as: UTF8.self)
            #expect(metrics.contains("attest_render_duration_count"), "\(metrics)")
        }
    }

    @Test("attest demo serves the URLs it prints until Ctrl-C")
    func demoServes() async throws {
        let root = IntegrationEnvironment.repositoryRoot
        let demo = try await ServedCertificates.with(
            names: [],
            command: ["demo", "--samples", root.appendingPathComponent("samples/completions.jsonl").path],
            signal: SIGINT
        ) { served, _, pool in
            let codes = try await pool.query(
                "SELECT verification_code FROM attest.certificates WHERE status = 'issued'"
            )
            .map { try $0.decode("verification_code", as: String.self) }
            #expect(codes.count == 13)
            for code in codes.prefix(3) {
                let page = try await ServedCertificates.fetch("\(served.baseURL)/v/\(code)")
                #expect(page.status == 200)
            }
        }
        #expect(demo.standardOutput.contains("verification server: listening on 127.0.0.1:"), "\(demo.standardOutput)")
        #expect(demo.standardOutput.contains("13 of 13 certificates issued"))
    }
}
