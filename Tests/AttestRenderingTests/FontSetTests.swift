// Attest — certificates and documents you can verify. Apache-2.0.

import AttestRendering
import Foundation
import Testing

@Suite("Attest's fonts")
struct FontSetTests {
    /// The table tags of a TrueType file (its table directory).
    static func tableTags(_ data: Data) -> Set<String> {
        let bytes = [UInt8](data)
        guard bytes.count >= 12 else { return [] }
        let count = Int(bytes[4]) << 8 | Int(bytes[5])
        var tags = Set<String>()
        for index in 0..<count where 12 + 16 * index + 4 <= bytes.count {
            let start = 12 + 16 * index
            tags.insert(String(decoding: bytes[start..<start + 4], as: UTF8.self))
        }
        return tags
    }

    @Test func everyFontListedForPreparationIsPreparedWithoutHinting() throws {
        let configuration = try String(
            contentsOfFile: RenderingFixtures.fontsDirectory + "/fonts.conf",
            encoding: .utf8
        )
        let list = try #require(configuration.range(of: "prepare:").map { configuration[$0.upperBound...] })
        let sources = list[..<list.range(of: "-->")!.lowerBound].split(whereSeparator: \.isWhitespace)
            .filter { $0.hasPrefix("/") }
        #expect(sources.count > 80)
        for source in sources {
            let name = (String(source) as NSString).lastPathComponent
            let prepared = RenderingFixtures.fontsDirectory + "/prepared/" + name
            let data = try #require(
                FileManager.default.contents(atPath: prepared),
                "\(name) is not prepared: run scripts/bootstrap"
            )
            let tags = Self.tableTags(data)
            #expect(tags.contains("glyf") && tags.contains("GSUB"), "\(name): \(tags.sorted())")
            #expect(tags.isDisjoint(with: ["fpgm", "prep", "cvt "]), "\(name) still has hinting: \(tags.sorted())")
        }
    }
}
