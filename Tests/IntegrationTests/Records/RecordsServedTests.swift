// Attest — certificates and documents you can verify. Apache-2.0.

import AttestTestSupport
import Foundation
import Glibc
import Testing

/// `attest serve` as a real process: a shared record's page, CSV and PDF without any credentials, and the link
/// dead at once after `attest records unshare`.
@Suite("program records served live", .requiresDatabase, .serialized)
struct RecordsServedTests {
    @Test("share → public page, CSV and PDF (its QR code opens the page); unshare → 404 at once")
    func sharedRecordServed() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("records-served")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = try await RecordsFixture.build(database: database, pool: pool, directory: directory)
            let port = try LoopbackPort.free()
            var served = fixture.environment
            served["ATTEST_PUBLIC_URL"] = "http://127.0.0.1:\(port)"
            let environment = served
            let share = try await attest(
                ["records", "share", "--learner", "learner-fatima", "--program", "operations"],
                environment
            )
            try #require(share.status == 0, "\(share.standardError)")
            let url = share.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(url.hasPrefix("http://127.0.0.1:\(port)/r/"))

            let server = try await RunningProcess.run(
                try IntegrationEnvironment.attestExecutable,
                arguments: ["serve", "--port", "\(port)"],
                environment: environment
            ) { processID in
                defer { kill(processID, SIGTERM) }
                try await Self.waitUntilReady(port: port)
                let page = try await ServedCertificates.fetch(url)
                #expect(page.status == 200)
                let html = String(decoding: page.body, as: UTF8.self)
                #expect(html.contains("فاطمة الزهراء"))
                #expect(html.contains("3 of 12 courses earned"))
                #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
                // The page agrees with the rules on every course's status and grade, like the JSON, CSV and PDF.
                for course in RecordsFixture.expected(RecordsFixture.fatima, program: "operations") {
                    let grade = course.grade.isEmpty ? "" : " · grade \(course.grade)"
                    let style = ["Earned": "valid", "Revoked": "revoked", "Not earned": "unknown"][course.status] ?? ""
                    let cell = "<dt>\(course.position) · <span class=\"\(style)\">\(course.status)</span>\(grade)"
                    #expect(html.contains(cell), "\(course.courseID)")
                }

                if let chromium = HeadlessChromium.executable {
                    // In a real browser: the name is in the DOM as text, no script runs; a phone screenshot is
                    // written for people to look at.
                    let profile = try PipelineTestSupport.temporaryDirectory("chromium")
                    defer { try? FileManager.default.removeItem(at: profile) }
                    let output = IntegrationEnvironment.repositoryRoot.appendingPathComponent(".build/test-output")
                    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
                    let browse = [
                        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                        "--user-data-dir=\(profile.path)", "--virtual-time-budget=2000",
                    ]
                    let dom = try await RunningProcess.run(chromium, arguments: browse + ["--dump-dom", url])
                    #expect(dom.standardOutput.contains(">فاطمة الزهراء</p>"))
                    #expect(!dom.standardOutput.lowercased().contains("<script"))
                    let screenshot = output.appendingPathComponent("record-page.png").path
                    _ = try await RunningProcess.run(
                        chromium,
                        arguments: browse + ["--screenshot=\(screenshot)", "--window-size=390,844", url]
                    )
                    #expect(FileManager.default.fileExists(atPath: screenshot))
                }

                let csv = try await ServedCertificates.fetch(url + ".csv")
                #expect(csv.status == 200)
                #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])

                let pdf = try await ServedCertificates.fetch(url + ".pdf")
                #expect(pdf.status == 200)
                #expect(pdf.headers["content-type"] == "application/pdf")
                let file = directory.appendingPathComponent("served.pdf")
                try pdf.body.write(to: file)
                #expect(try await PipelineTestSupport.decodeQR(pdf: file) == url)
                let text = try await tool("pdftotext", ["-layout", file.path, "-"])
                #expect(text.contains("3 of 12 courses earned"))

                let unshare = try await attest(["records", "unshare", url], environment)
                #expect(unshare.status == 0, "\(unshare.standardError)")
                for suffix in ["", ".csv", ".pdf"] {
                    #expect(try await ServedCertificates.fetch(url + suffix).status == 404)
                }
            }
            #expect(server.status == 0, "\(server.standardError)")
        }
    }

    private static func waitUntilReady(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let ready = try? await ServedCertificates.fetch("http://127.0.0.1:\(port)/readyz"), ready.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("attest serve did not become ready on port \(port) within 30 seconds")
    }
}
