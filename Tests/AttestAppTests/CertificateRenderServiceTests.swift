// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Logging
import Testing

@testable import AttestApp

@Suite("certificate render service")
struct CertificateRenderServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The nice values of this process's threads named `name`, read from /proc.
    static func niceValues(ofThreadsNamed name: String) throws -> [Int] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        return tasks.compactMap { task in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let afterName = stat.range(of: ") ", options: .backwards)
            else { return nil }
            // Fields after the name start at field 3 (state); nice is field 19.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            return fields.count > 16 ? Int(fields[16]) : nil
        }
    }

    @Test("renders on a thread of its own, raised to renderThreadNice when the process may (root) and unchanged otherwise")
    func renderThreadPriority() async throws {
        var settings = try AttestSettings(environment: [:])
        settings.templatesDirectory = Self.root.appendingPathComponent("templates").path
        settings.fontsDirectory = Self.root.appendingPathComponent("fonts").path
        let before = try Self.niceValues(ofThreadsNamed: "TP-#0")
        let service = try CertificateRenderService(settings: settings, logger: Logger(label: "test"))
        let code = VerificationCode.random().text
        let pdf = try await service.render(
            CertificateContent(
                learnerName: "Ada Lovelace",
                courseTitle: "Analytical Engines",
                organisation: "Babbage College",
                issuedOn: try #require(CalendarDate(year: 2026, month: 3, day: 1)),
                locale: "en",
                verificationCode: code,
                verificationURL: "https://verify.example.org/v/" + code,
                score: nil
            ),
            templateID: "classic"
        )
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        // The priority is set by the render thread's first task, before any render.
        let after = try Self.niceValues(ofThreadsNamed: "TP-#0")
        let raised = after.filter { $0 == Int(CertificateRenderService.renderThreadNice) }.count
            - before.filter { $0 == Int(CertificateRenderService.renderThreadNice) }.count
        #expect(raised == (geteuid() == 0 ? 1 : 0), "threads named TP-#0 before: \(before), after: \(after)")
        try await service.shutdown()
    }
}
