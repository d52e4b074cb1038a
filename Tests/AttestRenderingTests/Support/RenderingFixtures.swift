// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Testing

/// The repository's templates and fonts, located from this file, and the renderers and content tests use.
enum RenderingFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // AttestRenderingTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
    static let templatesDirectory = repositoryRoot.appendingPathComponent("templates").path
    static let fontsDirectory = repositoryRoot.appendingPathComponent("fonts").path
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The shipped templates.
    static let templateIDs = ["classic", "modern"]

    private static let fontSet = Result { try FontSet(directory: fontsDirectory) }

    /// Attest's fonts, loaded once for all tests.
    static func fonts() throws -> FontSet {
        try self.fontSet.get()
    }

    static func template(_ id: String) throws -> CertificateTemplate {
        try TemplateLoader(directory: self.templatesDirectory).load(id: id)
    }

    static func renderer(_ id: String) throws -> CertificateRenderer {
        try CertificateRenderer(template: self.template(id), fonts: self.fonts())
    }

    static func content(
        name: String = "Amélie Durand",
        locale: String = "en",
        code: String = "k7m2q9x4w8r3t6y5p2n8v4c7b3",
        score: Double? = 0.92
    ) -> CertificateContent {
        CertificateContent(
            learnerName: name,
            courseTitle: "Data Protection Essentials",
            organisation: "Northbridge Institute of Technology",
            issuedOn: CalendarDate(year: 2026, month: 3, day: 1)!,
            locale: locale,
            verificationCode: code,
            verificationURL: "https://verify.example.org/v/" + code,
            score: score
        )
    }
}

/// A name in one script, and whether `pdftotext` gives it back reliably (it does not for Arabic and Tamil, whose
/// shaped glyphs map back to different code points).
struct ScriptSample: Sendable, CustomTestStringConvertible {
    let script: String
    let name: String
    let locale: String
    let extractable: Bool

    var testDescription: String { self.script }

    static let all: [ScriptSample] = [
        ScriptSample(script: "Latin with diacritics", name: "Zoë Łukasiewicz-Ñúñez", locale: "pl", extractable: true),
        ScriptSample(script: "Cyrillic", name: "Екатерина Смирнова", locale: "ru", extractable: true),
        ScriptSample(script: "Greek", name: "Αλέξανδρος Παπαδόπουλος", locale: "el", extractable: true),
        ScriptSample(script: "Arabic", name: "محمد بن عبد الله الهاشمي", locale: "ar", extractable: false),
        ScriptSample(script: "Hebrew", name: "דוד בן גוריון", locale: "he", extractable: true),
        ScriptSample(script: "Devanagari", name: "अनुष्का श्रीवास्तव", locale: "hi", extractable: true),
        ScriptSample(script: "Tamil", name: "சுப்பிரமணியன் இராமசாமி", locale: "ta", extractable: false),
        ScriptSample(script: "Thai", name: "สมชาย ใจดี", locale: "th", extractable: true),
        ScriptSample(script: "Chinese", name: "王小明", locale: "zh", extractable: true),
        ScriptSample(script: "Japanese", name: "山田 花子", locale: "ja", extractable: true),
        ScriptSample(script: "Korean", name: "김민준", locale: "ko", extractable: true),
    ]
}
