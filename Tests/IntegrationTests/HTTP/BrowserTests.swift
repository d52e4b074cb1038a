// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

/// Debian's headless Chromium, if installed.
enum HeadlessChromium {
    static var executable: URL? {
        RunningProcess.which("chromium-headless-shell") ?? RunningProcess.which("chromium")
    }
}

/// The verification page in a real browser: Debian's headless Chromium.
@Suite(
    "the verification page in headless Chromium",
    .requiresDatabase,
    .serialized,
    .enabled(
        if: HeadlessChromium.executable != nil || IntegrationEnvironment.isRequired,
        "chromium-headless-shell is not installed: run scripts/bootstrap"
    )
)
struct BrowserTests {
    /// Where screenshots go for people to look at: `.build/test-output/` in the repository.
    static var outputDirectory: URL {
        IntegrationEnvironment.repositoryRoot.appendingPathComponent(".build/test-output")
    }

    @Test("an Arabic and an HTML-injection name appear literally in the DOM, no script runs, screenshots written")
    func namesInTheBrowser() async throws {
        let chromium = try #require(
            HeadlessChromium.executable,
            "chromium-headless-shell is not installed: run scripts/bootstrap"
        )
        try FileManager.default.createDirectory(at: Self.outputDirectory, withIntermediateDirectories: true)
        let names = ["فاطمة الزهراء", "<script>alert(1)</script>", "Grace Hopper", "Mary Jackson"]
        try await ServedCertificates.with(names: names) { served, certificates, pool in
            #expect(certificates.count == 4)
            // The other two verdicts, for people to look at: one revoked, one whose PDF was purged.
            _ = try await pool.withConnection { connection in
                try await CertificateRepository().revoke(
                    code: certificates[2].verificationCode,
                    reason: "Issued for the wrong course",
                    on: connection
                )
            }
            try FileManager.default.removeItem(
                at: served.storage.appendingPathComponent(try #require(certificates[3].documentPath))
            )
            try await pool.query(
                "UPDATE attest.certificates SET document_path = NULL, document_purged_at = now() WHERE id = $1",
                [certificates[3].id]
            )
            let cases = [
                ("arabic", "Valid certificate"), ("injection", "Valid certificate"), ("revoked", "Revoked"),
                ("removed", "Valid · document removed"),
            ]
            for (certificate, (label, verdict)) in zip(certificates, cases) {
                let url = "\(served.baseURL)/v/\(certificate.verificationCode)"
                let dom = try await Self.run(chromium, ["--dump-dom", url])
                // --dump-dom serialises the DOM: a text node holding "<script>" is written "&lt;script&gt;".
                let escaped = certificate.learnerName
                    .replacingOccurrences(of: "&", with: "&amp;")
                    .replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
                #expect(dom.contains(">\(escaped)</p>"), "\(label): \(dom)")
                #expect(!dom.lowercased().contains("<script"), "\(label): a script element reached the DOM")
                #expect(dom.contains(verdict), "\(label)")

                let screenshot = Self.outputDirectory.appendingPathComponent("verification-page-\(label).png")
                try? FileManager.default.removeItem(at: screenshot)
                _ = try await Self.run(chromium, ["--screenshot=\(screenshot.path)", "--window-size=390,844", url])
                let png = try Data(contentsOf: screenshot)
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(label): no PNG written")
            }
        }
    }

    private static func run(_ chromium: URL, _ arguments: [String]) async throws -> String {
        let profile = try PipelineTestSupport.temporaryDirectory("chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try await RunningProcess.run(
            chromium,
            arguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=2000",
            ] + arguments
        )
        guard result.status == 0 else {
            throw TestSupportError("chromium failed (\(result.status)): \(result.standardError)")
        }
        return result.standardOutput
    }
}
