// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Testing

@Suite("program record transcripts")
struct TranscriptRendererTests {
    private func course(_ position: Int) -> ProgramRecord.Course {
        let status: ProgramRecord.Status = [.notEarned, .earned, .revoked][position % 3]
        let date = CalendarDate(year: 2026, month: 1, day: 1 + position % 28)
        return ProgramRecord.Course(
            position: position,
            courseID: "c-\(position)",
            title: "Course \(position)",
            status: status,
            score: status == .earned ? 0.5 + Double(position) / 1_000 : nil,
            completedOn: status == .notEarned ? nil : date,
            verificationCode: nil,
            verificationURL: status == .notEarned ? nil : "https://verify.example.org/v/CODE\(position)"
        )
    }

    private func record(courses count: Int, name: String = "Amélie Durand") -> ProgramRecord {
        ProgramRecord(
            program: .init(
                id: "p",
                title: "Data Analysis",
                organisation: "Northbridge Institute",
                type: "MicroMasters"
            ),
            learnerID: "l-1",
            learnerName: name,
            courses: (1...count).map(self.course)
        )
    }

    @Test("the same record renders the same bytes, dated with its latest completion")
    func deterministic() throws {
        let record = self.record(courses: 12)
        let url = "https://verify.example.org/r/TOKEN"
        let first = try TranscriptRenderer(fonts: RenderingFixtures.fonts()).render(record, recordURL: url)
        let second = try TranscriptRenderer(fonts: RenderingFixtures.fonts()).render(record, recordURL: url)
        #expect(first == second)
        #expect(first.starts(with: Array("%PDF-".utf8)))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("/CreationDate (20260112000000Z)"))
        #expect(text.contains("/URI (\(url))"))
        #expect(text.contains("/Lang (en)"))
        let unshared = try TranscriptRenderer(fonts: RenderingFixtures.fonts()).render(record, recordURL: nil)
        #expect(!String(decoding: unshared, as: UTF8.self).contains("/URI (\(url))"))
    }

    @Test(
        "short programs fit one page, long ones continue on numbered pages, the QR code scans",
        .enabled(
            if: ExternalTools.usable("pdfinfo", "pdftotext", "pdftoppm", "zbarimg"),
            ExternalTools.skipMessage("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")
        )
    )
    func pages() throws {
        let directory = try TemporaryDirectory()
        let renderer = try TranscriptRenderer(fonts: RenderingFixtures.fonts())
        let url = "https://verify.example.org/r/0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        let short = try directory.write(try renderer.render(self.record(courses: 5), recordURL: url), to: "short.pdf")
        let long = try directory.write(
            try renderer.render(self.record(courses: 90, name: "فاطمة الزهراء"), recordURL: url),
            to: "long.pdf"
        )
        #expect(try ExternalTools.run("pdfinfo", [short]).contains("Pages:           1"))
        let info = try ExternalTools.run("pdfinfo", [long])
        let pages = try #require(
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ")[1]) }
        )
        #expect(pages >= 3, "\(info)")
        let last = try ExternalTools.run("pdftotext", ["-layout", "-f", "\(pages)", "-l", "\(pages)", long, "-"])
        #expect(last.contains("continued"))
        #expect(last.range(of: #"#\s+Course\s+Status\s+Grade\s+Completed"#, options: .regularExpression) != nil)
        #expect(last.contains("Course 90"))
        #expect(last.contains("Total: 30 of 90 courses earned"))
        #expect(last.contains("Page \(pages) of \(pages)"))

        try ExternalTools.run("pdftoppm", ["-png", "-r", "72", "-f", "1", "-l", "1", short, directory.path("short")])
        let scanned = try ExternalTools.run("zbarimg", ["-q", "--raw", directory.path("short-1.png")])
        #expect(scanned.trimmingCharacters(in: .whitespacesAndNewlines) == url)
    }
}
