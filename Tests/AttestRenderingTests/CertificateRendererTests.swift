// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Testing

@Suite("Certificate PDFs")
struct CertificateRendererTests {
    @Test(arguments: RenderingFixtures.templateIDs)
    func theSameInputGivesTheSameBytes(templateID: String) throws {
        let content = RenderingFixtures.content(name: "Zoë Łukasiewicz 王小明 محمد")
        let first = try RenderingFixtures.renderer(templateID).render(content).pdf
        let secondRenderer = try RenderingFixtures.renderer(templateID)
        _ = try secondRenderer.render(RenderingFixtures.content(name: "Someone Else"))
        let second = try secondRenderer.render(content).pdf
        #expect(first == second)
        let other = try secondRenderer.render(
            RenderingFixtures.content(name: "Zoë Łukasiewicz 王小明 محمد", code: "other")
        )
        #expect(other.pdf != first)
    }

    @Test func aLatinNameOnClassicIsAtMostFortyKilobytes() throws {
        let pdf = try RenderingFixtures.renderer("classic").render(RenderingFixtures.content(name: "Amélie Durand")).pdf
        #expect(pdf.count <= 40 * 1024, "\(pdf.count) bytes")
    }

    @Test func metadataLanguageAndLinkAreWritten() throws {
        let content = RenderingFixtures.content()
        let pdf = try RenderingFixtures.renderer("classic").render(content).pdf
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/Title (Certificate of Completion: Data Protection Essentials)"))
        #expect(text.contains("/Author (Northbridge Institute of Technology)"))
        #expect(text.contains("/CreationDate (20260301000000Z)"))
        #expect(text.contains("/Lang (en)"))
        #expect(text.contains("/URI (\(content.verificationURL))"))
    }

    @Test(
        .enabled(if: ExternalTools.usable("pdfinfo"), ExternalTools.skipMessage("pdfinfo"))
    )
    func pdfinfoReadsTheMetadata() throws {
        let directory = try TemporaryDirectory()
        let pdf = try directory.write(
            try RenderingFixtures.renderer("modern").render(RenderingFixtures.content()).pdf,
            to: "c.pdf"
        )
        let info = try ExternalTools.run("pdfinfo", ["-isodates", pdf])
        #expect(info.contains("Author:          Northbridge Institute of Technology"), "\(info)")
        #expect(info.contains("CreationDate:    2026-03-01T00:00:00Z"), "\(info)")
        #expect(info.contains("Page size:       792 x 612 pts (letter)"), "\(info)")
    }

    @Test(
        .enabled(if: ExternalTools.usable("pdftoppm", "zbarimg"), ExternalTools.skipMessage("pdftoppm", "zbarimg")),
        arguments: QRLevel.allCases
    )
    func vectorQRCodesScanAtEveryLevel(level: QRLevel) throws {
        let file = RenderingFixtures.templatesDirectory + "/classic/template.yaml"
        var yaml = try String(contentsOfFile: file, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "  level: M\n", with: "  level: \(level.rawValue)\n  drawing: vector\n")
        let template = try TemplateLoader(directory: RenderingFixtures.templatesDirectory).parse(
            yaml: yaml,
            id: "classic",
            file: file
        )
        #expect(template.qr.drawing == .vector && template.qr.level == level)
        let content = RenderingFixtures.content()
        let output = try CertificateRenderer(template: template, fonts: RenderingFixtures.fonts()).render(content)
        let directory = try TemporaryDirectory()
        let pdf = try directory.write(output.pdf, to: "c.pdf")
        try ExternalTools.run("pdftoppm", ["-png", "-r", "150", "-singlefile", pdf, directory.path("page")])
        #expect(
            try ExternalTools.run("zbarimg", ["--quiet", "--raw", directory.path("page.png")]) == content
                .verificationURL + "\n"
        )
    }

    @Test(arguments: [
        ("Ann\u{0007}e", "learner_name contains a control character U+0007"),
        ("", "learner_name must be 1–300 characters, not 0"),
        ("Anne\u{2028}Marie", "learner_name contains a line break"),
    ])
    func unprintableNamesAreRejectedBeforeDrawing(name: String, expected: String) throws {
        let renderer = try RenderingFixtures.renderer("classic")
        do {
            _ = try renderer.render(RenderingFixtures.content(name: name))
            Issue.record("rendered \(name.debugDescription)")
        } catch let error as RenderError {
            #expect(error.code == .invalidContent)
            #expect(error.message.hasPrefix(expected), "\(error.message)")
        }
    }

    @Test func aURLThatIsNotHTTPIsRejected() throws {
        var content = RenderingFixtures.content()
        content.verificationURL = "javascript:alert(1)"
        #expect(throws: RenderError.self) { try RenderingFixtures.renderer("classic").render(content) }
    }

    @Test func fontsComeOnlyFromAttestsConfiguration() throws {
        let fonts = try RenderingFixtures.fonts()
        #expect(fonts.faceCount > 50)
        for family in FontSet.primaryFamilies + ["Noto Naskh Arabic", "Noto Sans Devanagari", "Droid Sans Fallback"] {
            #expect(fonts.familyNames.contains(family), "\(family)")
        }
        // DejaVu and Liberation are installed on this machine; the renderer must not see them.
        #expect(
            fonts.familyNames.allSatisfy { !$0.hasPrefix("DejaVu") && !$0.hasPrefix("Liberation") },
            "\(fonts.familyNames)"
        )
    }

    @Test func aMissingFontsDirectoryIsReportedWithTheFix() {
        do {
            _ = try FontSet(directory: "/nonexistent/fonts")
            Issue.record("loaded fonts from nowhere")
        } catch let error as RenderError {
            #expect(error.code == .fontsUnavailable)
            #expect(error.message.contains("ATTEST_FONTS_DIR"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
