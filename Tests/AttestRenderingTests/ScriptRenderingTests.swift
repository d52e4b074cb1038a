// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Testing

/// Names in every script the contract promises, rendered on every template and checked with real tools.
@Suite(
    "Names in every script, checked with poppler and zbar",
    .enabled(
        if: ExternalTools.usable("pdfinfo", "pdffonts", "pdftoppm", "pdftotext", "zbarimg"),
        ExternalTools.skipMessage("pdfinfo", "pdffonts", "pdftoppm", "pdftotext", "zbarimg")
    )
)
struct ScriptRenderingTests {
    @Test(arguments: RenderingFixtures.templateIDs, ScriptSample.all)
    func rendersScansAndEmbedsEveryFont(templateID: String, sample: ScriptSample) throws {
        let renderer = try RenderingFixtures.renderer(templateID)
        let content = RenderingFixtures.content(
            name: sample.name,
            locale: sample.locale,
            code: "q7w3e9r2t8y4u6i5o2p8a3s7d4"
        )
        let output = try renderer.render(content)
        #expect(output.pdf.starts(with: Array("%PDF-1.".utf8)))

        let directory = try TemporaryDirectory()
        let pdf = try directory.write(output.pdf, to: "certificate.pdf")

        let info = try ExternalTools.run("pdfinfo", [pdf])
        #expect(info.contains("Pages:           1"), "\(info)")

        // Every font is embedded: the emb column is the fifth from the right (names and types contain spaces).
        let fonts = try ExternalTools.run("pdffonts", [pdf]).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts {
            let columns = line.split(separator: " ")
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes", "not embedded: \(line)")
        }

        // The QR code scans, at 150 dpi, to exactly the verification URL.
        try ExternalTools.run("pdftoppm", ["-png", "-r", "150", "-singlefile", pdf, directory.path("page")])
        let scanned = try ExternalTools.run("zbarimg", ["--quiet", "--raw", directory.path("page.png")])
        #expect(scanned == content.verificationURL + "\n")

        let text = try ExternalTools.run("pdftotext", [pdf, "-"])
        #expect(text.contains("Data Protection Essentials"))
        if sample.extractable {
            #expect(text.contains(sample.name), "pdftotext: \(text)")
        }

        // And the name stayed inside its box.
        let name = try #require(output.placedTexts.first { $0.blockID == "learner-name" })
        #expect(name.text == sample.name)
        #expect(name.box.contains(name.logicalExtents) && name.box.contains(name.inkExtents), "\(name)")
    }
}
