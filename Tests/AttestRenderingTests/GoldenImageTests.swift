// Attest — certificates and documents you can verify. Apache-2.0.

import AttestRendering
import Foundation
import Testing

/// Renders each template's preview at low resolution and compares it with the image in Fixtures/, so that a change
/// that moves, resizes or restyles anything fails. `ATTEST_UPDATE_GOLDEN=1` rewrites the fixtures after an
/// intended change (look at them before committing).
@Suite("Golden images")
struct GoldenImageTests {
    static let dpi = 30.0
    /// Anti-aliasing and FreeType versions move a few pixels' shades; a moved block changes thousands.
    static let meanTolerance = 1.5
    static let differingTolerance = 0.004

    static func preview(_ template: CertificateTemplate) throws -> RasterImage {
        let output = try CertificateRenderer(template: template, fonts: RenderingFixtures.fonts())
            .render(RenderingFixtures.content(), options: .init(previewDPI: Self.dpi))
        return try RasterImage(png: try #require(output.png))
    }

    @Test(arguments: RenderingFixtures.templateIDs)
    func previewMatchesTheGoldenImage(templateID: String) throws {
        let fixture = RenderingFixtures.fixturesDirectory.appendingPathComponent("\(templateID).png")
        let template = try RenderingFixtures.template(templateID)
        if ProcessInfo.processInfo.environment["ATTEST_UPDATE_GOLDEN"] == "1" {
            let output = try CertificateRenderer(template: template, fonts: RenderingFixtures.fonts())
                .render(RenderingFixtures.content(), options: .init(previewDPI: Self.dpi))
            try Data(try #require(output.png)).write(to: fixture)
        }
        let golden = try RasterImage(png: [UInt8](try Data(contentsOf: fixture)))
        let difference = try #require(try Self.preview(template).difference(from: golden), "the preview's size changed")
        #expect(difference.meanAbsolute < Self.meanTolerance, "\(difference)")
        #expect(difference.differingFraction < Self.differingTolerance, "\(difference)")
    }

    @Test func theComparisonCatchesABlockMovedByThreeMillimetres() throws {
        let golden = try RasterImage(
            png: [UInt8](
                try Data(contentsOf: RenderingFixtures.fixturesDirectory.appendingPathComponent("classic.png"))
            )
        )
        var template = try RenderingFixtures.template("classic")
        let index = try #require(template.texts.firstIndex { $0.id == "course-title" })
        template.texts[index].box.y += 3 * 72 / 25.4
        let difference = try #require(try Self.preview(template).difference(from: golden))
        #expect(difference.differingFraction >= Self.differingTolerance, "\(difference)")
    }
}
