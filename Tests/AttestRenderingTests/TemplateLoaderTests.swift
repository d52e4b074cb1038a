// Attest — certificates and documents you can verify. Apache-2.0.

import AttestRendering
import Foundation
import Testing

@Suite("Template loading")
struct TemplateLoaderTests {
    static let file = "/templates/broken/template.yaml"

    static let valid = """
        version: 3
        page: { size: A4, orientation: landscape }
        background: { color: "#FFFFFF" }
        shapes:
          - id: frame
            rect: [10, 10, 277, 190]
            stroke: "#000000"
        texts:
          - id: name
            text: "{{learner_name}}"
            box: [20, 80, 257, 30]
            size: 40
            min_size: 20
          - id: url
            text: "{{verification_url_short}}"
            box: [20, 190, 100, 5]
        qr:
          position: [240, 150]
          size: 30
        """

    static func load(_ yaml: String) throws -> CertificateTemplate {
        try TemplateLoader(directory: "/templates").parse(yaml: yaml, id: "broken", file: Self.file)
    }

    @Test(arguments: RenderingFixtures.templateIDs)
    func shippedTemplatesLoad(id: String) throws {
        let template = try RenderingFixtures.template(id)
        #expect(template.id == id)
        #expect(template.version >= 1)
        #expect(template.texts.contains { $0.text.placeholders.contains(.learnerName) })
        #expect(template.texts.contains { $0.isLink })
        #expect(template.qr.level == .medium)
    }

    @Test func shippedTemplatesAreListedAndHaveTheirPageSizes() throws {
        #expect(TemplateLoader(directory: RenderingFixtures.templatesDirectory).templateIDs() == ["classic", "modern"])
        let classic = try RenderingFixtures.template("classic")
        #expect(abs(classic.pageWidth - 841.89) < 0.01 && abs(classic.pageHeight - 595.28) < 0.01)
        let modern = try RenderingFixtures.template("modern")
        #expect(abs(modern.pageWidth - 792) < 0.01 && abs(modern.pageHeight - 612) < 0.01)
    }

    @Test func theValidExampleLoads() throws {
        let template = try Self.load(Self.valid)
        #expect(template.version == 3)
        #expect(template.texts.map(\.id) == ["name", "url"])
        #expect(template.texts[1].isLink)
        #expect(template.shapes.count == 1)
    }

    @Test(arguments: [
        ("{{learner_name}}", "{{learner}}", "texts[0] \"name\" (line 10): unknown placeholder {{learner}}"),
        ("{{learner_name}}", "{{learner_name", "texts[0] \"name\" (line 10): \"{{\" is not closed"),
        ("box: [20, 80, 257, 30]", "box: [20, 80, 290, 30]", "texts[0] \"name\" (line 11): box outside the page"),
        ("position: [240, 150]", "position: [280, 150]", "qr (line 18): box outside the page"),
        ("rect: [10, 10, 277, 190]", "rect: [10, 10, 277, 290]", "shapes[0] \"frame\" (line 6): box outside the page"),
        (
            "stroke: \"#000000\"", "stroke: \"#00000G\"",
            "shapes[0] \"frame\" (line 7): bad colour \"#00000G\" for stroke"
        ),
        ("stroke: \"#000000\"", "stroke: #000000", "shapes[0] \"frame\" (line 7): bad colour"),
        ("color: \"#FFFFFF\"", "color: \"white\"", "background (line 3): bad colour \"white\""),
        ("min_size: 20", "min_size: 50", "texts[0] \"name\" (line 13): min_size must be from 2 pt up to size"),
        ("min_size: 20", "min_sise: 20", "texts[0] \"name\" (line 13): unknown key \"min_sise\""),
        ("  size: 30", "  size: 30\n  level: X", "qr (line 20): level \"X\" must be L, M, Q or H"),
        ("  size: 30", "  size: 10", "qr (line 19): size is required and must be at least 15 mm"),
        ("id: url", "id: name", "texts[1] (line 14): duplicate id \"name\""),
        ("version: 3", "version: three", "template (line 1): version is required"),
        ("size: A4", "size: A3", "page (line 2): unknown size \"A3\""),
        (
            "rect: [10, 10, 277, 190]", "path: \"M 10 10 A 5 5 0 0 1 20 20\"",
            "shapes[0] \"frame\" (line 6): path command \"A\" is not supported"
        ),
    ])
    func eachKindOfMistakeNamesFileBlockAndProblem(original: String, broken: String, expected: String) {
        let yaml = Self.valid.replacingOccurrences(of: original, with: broken)
        #expect(yaml != Self.valid, "the test did not change the template")
        do {
            _ = try Self.load(yaml)
            Issue.record("loaded a broken template: \(broken)")
        } catch let error as RenderError {
            #expect(error.code == .invalidTemplate)
            #expect(error.message.hasPrefix(Self.file + ": "), "\(error.message)")
            #expect(error.message.contains(expected), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aMissingQRBlockIsAnError() {
        let yaml = String(Self.valid[..<Self.valid.range(of: "qr:")!.lowerBound])
        #expect {
            try Self.load(yaml)
        } throws: { error in
            "\(error)".contains("\(Self.file): qr: qr is required")
        }
    }

    @Test func aMissingAssetNamesTheFileBlockAndAsset() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("template.yaml")
        let yaml = Self.valid.replacingOccurrences(
            of: "background: { color: \"#FFFFFF\" }",
            with: "background: { image: paper.png }"
        )
        do {
            _ = try TemplateLoader(directory: directory.url.path).parse(yaml: yaml, id: "broken", file: file)
            Issue.record("loaded a template whose image is missing")
        } catch let error as RenderError {
            #expect(
                error.message.contains("\(file): background (line 3): missing asset: image \"paper.png\""),
                "\(error.message)"
            )
        }
        // With the asset present (a real PNG, drawn by the renderer), the same template loads and renders.
        let png = try RenderingFixtures.renderer("modern").render(
            RenderingFixtures.content(),
            options: .init(previewDPI: 10)
        ).png
        _ = try directory.write(try #require(png), to: "paper.png")
        let template = try TemplateLoader(directory: directory.url.path).parse(yaml: yaml, id: "broken", file: file)
        #expect(template.background.imageName == "paper.png")
        let output = try CertificateRenderer(template: template, fonts: RenderingFixtures.fonts()).render(
            RenderingFixtures.content()
        )
        #expect(output.pdf.count > 1000)
    }

    @Test func syntaxErrorsAndUnknownTemplatesNameTheFile() {
        #expect {
            try Self.load("version: [1\n")
        } throws: { error in
            "\(error)".hasPrefix(Self.file + ": not valid YAML")
        }
        #expect {
            try TemplateLoader(directory: RenderingFixtures.templatesDirectory).load(id: "nope")
        } throws: { error in
            (error as? RenderError)?.code == .templateNotFound && "\(error)".contains("templates: classic, modern")
        }
        #expect(throws: RenderError.self) {
            try TemplateLoader(directory: RenderingFixtures.templatesDirectory).load(id: "../classic")
        }
    }
}
