// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Testing

@Suite("Text fits its box")
struct TextFitterTests {
    static let longName =
        String(
            String(repeating: "Maria Fernanda de los Ángeles Guadalupe Hernández-Villaseñor y Rodríguez ", count: 5)
                .prefix(300)
        ).trimmingCharacters(in: .whitespaces) + "z"

    @Test(arguments: RenderingFixtures.templateIDs)
    func aThreeHundredCharacterNameStaysInsideItsBox(templateID: String) throws {
        let name = String(Self.longName.suffix(300))
        #expect(name.unicodeScalars.count == 300)
        let renderer = try RenderingFixtures.renderer(templateID)
        let block = try #require(renderer.template.texts.first { $0.id == "learner-name" })
        let placed = try #require(
            try renderer.layout(RenderingFixtures.content(name: name)).first { $0.blockID == "learner-name" }
        )
        #expect(placed.text == name)
        #expect(placed.box.contains(placed.logicalExtents), "logical \(placed.logicalExtents) outside \(placed.box)")
        #expect(placed.box.contains(placed.inkExtents), "ink \(placed.inkExtents) outside \(placed.box)")
        #expect(placed.size < block.style.size)
        #expect(placed.lineCount >= 2)
        // The shipped templates are designed for the longest name the contract allows.
        #expect(!placed.exceededLimits, "\(placed.size) pt on \(placed.lineCount) lines")
        #expect(placed.size >= block.style.minimumSize)
        // Nothing was cut: the ink spans most of the box (a cut or ellipsized name would leave it half empty).
        #expect(placed.inkExtents.width > placed.box.width * 0.8)
    }

    @Test(arguments: [
        String(repeating: "W", count: 300),
        String(repeating: "王", count: 300),
        String(repeating: "म", count: 300),
        String(repeating: "محمد ", count: 60).trimmingCharacters(in: .whitespaces),
        String(repeating: "Ωμέγα-Łódź 山田 ", count: 20).trimmingCharacters(in: .whitespaces),
    ])
    func longNamesWithoutSpacesOrInOtherScriptsStayInsideTheirBox(name: String) throws {
        for templateID in RenderingFixtures.templateIDs {
            let renderer = try RenderingFixtures.renderer(templateID)
            let placed = try #require(
                try renderer.layout(RenderingFixtures.content(name: name)).first { $0.blockID == "learner-name" }
            )
            #expect(placed.text == name)
            #expect(
                placed.box.contains(placed.logicalExtents),
                "\(templateID): \(placed.logicalExtents) in \(placed.box)"
            )
            #expect(placed.box.contains(placed.inkExtents), "\(templateID): ink \(placed.inkExtents) in \(placed.box)")
        }
    }

    @Test(arguments: RenderingFixtures.templateIDs)
    func aOneLetterNameIsDrawnAtFullSizeInsideItsBox(templateID: String) throws {
        let renderer = try RenderingFixtures.renderer(templateID)
        let block = try #require(renderer.template.texts.first { $0.id == "learner-name" })
        let placed = try #require(
            try renderer.layout(RenderingFixtures.content(name: "Q")).first { $0.blockID == "learner-name" }
        )
        #expect(placed.size == block.style.size)
        #expect(placed.lineCount == 1)
        #expect(!placed.exceededLimits)
        #expect(placed.box.contains(placed.logicalExtents))
        #expect(placed.box.contains(placed.inkExtents))
        #expect(placed.inkExtents.width > 0 && placed.inkExtents.width < placed.box.width / 4)
    }

    @Test func aNameSlightlyTooLongShrinksOnOneLineBeforeItWraps() throws {
        let renderer = try RenderingFixtures.renderer("classic")
        let block = try #require(renderer.template.texts.first { $0.id == "learner-name" })
        let name = "Alexandrina Wilhelmina Konstantinopoulou-Vanderbilt"
        let placed = try #require(
            try renderer.layout(RenderingFixtures.content(name: name)).first { $0.blockID == "learner-name" }
        )
        #expect(placed.lineCount == 1)
        #expect(placed.size < block.style.size && placed.size >= block.style.minimumSize)
        #expect(placed.box.contains(placed.inkExtents))
    }

    @Test(arguments: RenderingFixtures.templateIDs)
    func everyBlockOfEveryTemplateStaysInsideItsBoxWithLongValues(templateID: String) throws {
        let renderer = try RenderingFixtures.renderer(templateID)
        var content = RenderingFixtures.content(name: String(Self.longName.suffix(300)))
        content.courseTitle = String(repeating: "Advanced Practice in Information Security Governance ", count: 5)
        content.organisation = "The Royal and Ancient Society for the Advancement of Professional Learning"
        content.programTitle = "Information Security Leadership"
        for placed in try renderer.layout(content) {
            #expect(
                placed.box.contains(placed.logicalExtents),
                "\(placed.blockID): \(placed.logicalExtents) outside \(placed.box)"
            )
            #expect(
                placed.box.contains(placed.inkExtents),
                "\(placed.blockID): ink \(placed.inkExtents) outside \(placed.box)"
            )
        }
    }

    @Test func blocksWithoutAValueAreLeftOut() throws {
        let renderer = try RenderingFixtures.renderer("classic")
        let withScore = try renderer.layout(RenderingFixtures.content(score: 0.92))
        let withoutScore = try renderer.layout(RenderingFixtures.content(score: nil))
        #expect(withScore.first { $0.blockID == "score" }?.text == "with a score of 92%")
        #expect(withoutScore.contains { $0.blockID == "score" } == false)
    }

    @Test(arguments: [("en", "March 1, 2026"), ("fr", "1 mars 2026"), ("de", "1. März 2026"), ("ja", "2026年3月1日")])
    func datesAreFormattedForTheLocale(locale: String, expected: String) throws {
        let renderer = try RenderingFixtures.renderer("classic")
        let placed = try renderer.layout(RenderingFixtures.content(locale: locale))
        #expect(placed.first { $0.blockID == "issued-on" }?.text == expected)
    }
}
