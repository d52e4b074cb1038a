// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// Presentations made for the tests: written as flat ODF (.fodp) here, then saved as .pptx and .ppt by the real
/// LibreOffice once per test run.
public actor FixtureDecks {
    /// One deck and the pages its PDF must have.
    public struct Deck: Sendable {
        public var name: String
        public var visibleSlides: Int
        public var fodp: String
    }

    /// Debian's LibreOffice, which makes the decks (and which the conversion hosts load).
    public static let sofficePath = "/usr/lib/libreoffice/program/soffice"

    public static let shared = FixtureDecks()

    public static let decks: [Deck] = [
        Deck(name: "text", visibleSlides: 3, fodp: FixtureDecks.document((1...3).map { FixtureDecks.textSlide($0) })),
        Deck(name: "table", visibleSlides: 1, fodp: FixtureDecks.document([FixtureDecks.tableSlide()])),
        Deck(
            name: "image",
            visibleSlides: 2,
            fodp: FixtureDecks.document([FixtureDecks.imageSlide(), FixtureDecks.textSlide(2)])
        ),
        Deck(
            name: "notes",
            visibleSlides: 2,
            fodp: FixtureDecks.document([
                FixtureDecks.textSlide(1, notes: "Speaker notes one"),
                FixtureDecks.textSlide(2, notes: "Speaker notes two"),
            ])
        ),
        Deck(
            name: "hidden",
            visibleSlides: 3,
            fodp: FixtureDecks.document([
                FixtureDecks.textSlide(1), FixtureDecks.textSlide(2, hidden: true), FixtureDecks.textSlide(3),
                FixtureDecks.textSlide(4, hidden: true), FixtureDecks.textSlide(5),
            ])
        ),
        Deck(
            name: "chart",
            visibleSlides: 2,
            fodp: FixtureDecks.document([FixtureDecks.chartSlide(), FixtureDecks.textSlide(2)])
        ),
        Deck(
            name: "fifty",
            visibleSlides: 50,
            fodp: FixtureDecks.document((1...50).map { FixtureDecks.textSlide($0) })
        ),
    ]

    private var made: URL?

    /// The directory holding `<name>.pptx` and `<name>.ppt` for every deck; made on first use.
    ///
    /// The decks are kept under `.build/attest-test-fixtures/` named by a hash of their sources, so later runs
    /// reuse them and nothing is left in TMPDIR; a changed source makes a new directory.
    public func directory() throws -> URL {
        if let made = self.made { return made }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in Self.decks.flatMap({ Array(($0.name + $0.fodp).utf8) }) {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3
        }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".build/attest-test-fixtures", isDirectory: true)
        let final = root.appendingPathComponent("conversion-\(String(hash, radix: 16))", isDirectory: true)
        let expected = Self.decks.flatMap { ["\($0.name).pptx", "\($0.name).ppt"] }
        if expected.allSatisfy({ FileManager.default.fileExists(atPath: final.appendingPathComponent($0).path) }) {
            self.made = final
            return final
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let directory = root.appendingPathComponent("making-\(UUID().uuidString)", isDirectory: true)
        let sources = directory.appendingPathComponent("fodp", isDirectory: true)
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for deck in Self.decks {
            try Data(deck.fodp.utf8).write(to: sources.appendingPathComponent("\(deck.name).fodp"))
        }
        let profile = directory.appendingPathComponent("profile", isDirectory: true)
        for format in ["pptx", "ppt"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.sofficePath)
            process.arguments =
                [
                    "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
                    "--convert-to", format, "--outdir", directory.path,
                ] + Self.decks.map { sources.appendingPathComponent("\($0.name).fodp").path }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        try FileManager.default.removeItem(at: sources)
        try FileManager.default.removeItem(at: profile)
        try? FileManager.default.removeItem(at: final)
        try FileManager.default.moveItem(at: directory, to: final)
        self.made = final
        return final
    }

    // MARK: - Flat ODF

    static func document(_ slides: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
        xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
        xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" \
        xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" \
        xmlns:xlink="http://www.w3.org/1999/xlink" \
        xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" \
        xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" \
        xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" \
        office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
        <office:automatic-styles>
        <style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" \
        fo:page-height="15.75cm" style:print-orientation="landscape"/></style:page-layout>
        <style:style style:name="dpHidden" style:family="drawing-page">\
        <style:drawing-page-properties presentation:visibility="hidden"/></style:style>
        <style:style style:name="dpShown" style:family="drawing-page">\
        <style:drawing-page-properties presentation:visibility="visible"/></style:style>
        </office:automatic-styles>
        <office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/></office:master-styles>
        <office:body><office:presentation>
        \(slides.joined(separator: "\n"))
        </office:presentation></office:body>
        </office:document>
        """
    }

    static func textSlide(_ number: Int, hidden: Bool = false, notes: String? = nil) -> String {
        let notesXML =
            notes.map {
                """
                <presentation:notes><draw:frame presentation:class="notes" svg:x="2cm" svg:y="14cm" svg:width="17cm" \
                svg:height="10cm"><draw:text-box><text:p>\($0)</text:p></draw:text-box></draw:frame></presentation:notes>
                """
            } ?? ""
        return """
            <draw:page draw:name="Slide \(number)" draw:master-page-name="Default" \
            draw:style-name="\(hidden ? "dpHidden" : "dpShown")">\
            <draw:frame svg:x="2cm" svg:y="2cm" svg:width="24cm" svg:height="3cm"><draw:text-box>\
            <text:p>Slide \(number): Zertifikat für Ærøskøbing — 証明書</text:p></draw:text-box></draw:frame>\
            \(notesXML)</draw:page>
            """
    }

    static func tableSlide() -> String {
        let rows = (1...3).map { row in
            "<table:table-row>"
                + (1...3).map { column in
                    "<table:table-cell><text:p>R\(row)C\(column)</text:p></table:table-cell>"
                }.joined() + "</table:table-row>"
        }.joined()
        return """
            <draw:page draw:name="Table" draw:master-page-name="Default" draw:style-name="dpShown">\
            <draw:frame svg:x="2cm" svg:y="2cm" svg:width="18cm" svg:height="6cm"><table:table>\
            <table:table-column/><table:table-column/><table:table-column/>\(rows)</table:table></draw:frame></draw:page>
            """
    }

    /// A bar chart embedded as an inline chart document; LibreOffice writes it as a real chart part.
    static func chartSlide() -> String {
        let rows = [("Q1", 3), ("Q2", 7), ("Q3", 5)].map { label, value in
            """
            <table:table-row><table:table-cell office:value-type="string"><text:p>\(label)</text:p></table:table-cell>\
            <table:table-cell office:value-type="float" office:value="\(value)"><text:p>\(value)</text:p>\
            </table:table-cell></table:table-row>
            """
        }.joined()
        return """
            <draw:page draw:name="Chart" draw:master-page-name="Default" draw:style-name="dpShown">\
            <draw:frame svg:x="2cm" svg:y="2cm" svg:width="16cm" svg:height="10cm"><draw:object>\
            <office:document office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.chart">\
            <office:body><office:chart><chart:chart svg:width="16cm" svg:height="10cm" chart:class="chart:bar">\
            <chart:plot-area table:cell-range-address="local-table.$A$1:.$B$4" chart:data-source-has-labels="both">\
            <chart:axis chart:dimension="x" chart:name="primary-x">\
            <chart:categories table:cell-range-address="local-table.$A$2:.$A$4"/></chart:axis>\
            <chart:axis chart:dimension="y" chart:name="primary-y"/>\
            <chart:series chart:values-cell-range-address="local-table.$B$2:.$B$4" \
            chart:label-cell-address="local-table.$B$1" chart:class="chart:bar"/></chart:plot-area>\
            <table:table table:name="local-table">\
            <table:table-header-columns><table:table-column/></table:table-header-columns>\
            <table:table-columns><table:table-column/></table:table-columns>\
            <table:table-header-rows><table:table-row><table:table-cell><text:p/></table:table-cell>\
            <table:table-cell office:value-type="string"><text:p>Completions</text:p></table:table-cell>\
            </table:table-row></table:table-header-rows><table:table-rows>\(rows)</table:table-rows></table:table>\
            </chart:chart></office:chart></office:body></office:document></draw:object></draw:frame></draw:page>
            """
    }

    /// A 1×1 PNG, embedded as binary data.
    static func imageSlide() -> String {
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
        return """
            <draw:page draw:name="Image" draw:master-page-name="Default" draw:style-name="dpShown">\
            <draw:frame svg:x="4cm" svg:y="2cm" svg:width="10cm" svg:height="10cm"><draw:image>\
            <office:binary-data>\(png)</office:binary-data></draw:image></draw:frame></draw:page>
            """
    }
}
