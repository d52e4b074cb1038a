// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Testing

@testable import AttestConversion

/// Pre-flight checks on inputs made here, without LibreOffice.
@Suite("DeckInspector")
struct DeckInspectorTests {
    /// Limits small enough for decks made in a test to reach each of them.
    static let testLimits = DeckInspector.Limits(
        maxInputBytes: 10 << 20,
        maxZipMembers: 100,
        maxUncompressedBytes: 64 << 20,
        maxCompressionRatio: 200
    )

    let inspector = DeckInspector(limits: DeckInspectorTests.testLimits)

    static func minimalPackage(slides: [Bool], extra: [ZipWriter.Entry] = []) -> [UInt8] {
        let ids = slides.indices.map { #"<p:sldId id="\#(256 + $0)" r:id="rId\#($0 + 1)"/>"# }.joined()
        let rels = slides.indices.map {
            #"<Relationship Id="rId\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide\#($0 + 1).xml"/>"#
        }.joined()
        var entries = [
            ZipWriter.Entry(
                name: "[Content_Types].xml",
                data: Array(
                    #"<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>"#
                        .utf8
                )
            ),
            ZipWriter.Entry(
                name: "_rels/.rels",
                data: Array(
                    #"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>"#
                        .utf8
                )
            ),
            ZipWriter.Entry(
                name: "ppt/presentation.xml",
                data: Array(
                    "<p:presentation><p:sldIdLst>\(ids)</p:sldIdLst><p:sldSz cx=\"1\" cy=\"1\"/></p:presentation>".utf8
                ),
                deflate: true
            ),
            ZipWriter.Entry(
                name: "ppt/_rels/presentation.xml.rels",
                data: Array("<Relationships>\(rels)</Relationships>".utf8)
            ),
        ]
        for (index, hidden) in slides.enumerated() {
            entries.append(
                ZipWriter.Entry(
                    name: "ppt/slides/slide\(index + 1).xml",
                    data: Array("<p:sld xmlns:p=\"x\"\(hidden ? " show=\"0\"" : "")><p:cSld/></p:sld>".utf8),
                    deflate: true
                )
            )
        }
        return ZipWriter.archive(entries + extra)
    }

    @Test("counts visible slides of a package and skips hidden ones")
    func countsVisibleSlides() throws {
        let inspection = try self.inspector.inspect(bytes: Self.minimalPackage(slides: [false, true, false]))
        #expect(inspection.format == .pptx)
        #expect(inspection.slides == 3)
        #expect(inspection.visibleSlides == 2)
    }

    @Test("a package without slides is reported as such")
    func zeroSlides() {
        #expect(throws: ConversionError.self) { try self.inspector.inspect(bytes: Self.minimalPackage(slides: [])) }
        let error = try? #require(throws: ConversionError.self) {
            try self.inspector.inspect(bytes: Self.minimalPackage(slides: []))
        }
        #expect(error?.code == .noSlides)
    }

    static func badInput(_ name: String) -> [UInt8] {
        switch name {
        case "empty": return []
        case "random": return (0..<200_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 7) }
        case "truncated": return Array(Self.minimalPackage(slides: [false]).prefix(300))
        case "zip but not office": return ZipWriter.archive([ZipWriter.Entry(name: "a.txt", data: [1, 2, 3])])
        default: return [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100)
        }
    }

    @Test(
        "empty, random, truncated and non-presentation inputs fail clearly",
        arguments: [
            ("empty", ConversionError.Code.emptyInput),
            ("random", .unsupportedType),
            ("truncated", .damagedInput),
            ("zip but not office", .unsupportedType),
            ("truncated ole", .damagedInput),
        ]
    )
    func badInputs(name: String, code: ConversionError.Code) {
        let error = try? #require(throws: ConversionError.self) {
            try self.inspector.inspect(bytes: Self.badInput(name))
        }
        #expect(error?.code == code, "\(name)")
    }

    @Test("a zip bomb is refused before anything inflates it")
    func zipBomb() {
        let bomb = ZipWriter.Entry(
            name: "ppt/media/bomb.bin",
            data: [UInt8](repeating: 0, count: 32 << 20),
            deflate: true
        )
        let bytes = Self.minimalPackage(slides: [false], extra: [bomb])
        #expect(bytes.count < 100_000)
        let error = try? #require(throws: ConversionError.self) { try self.inspector.inspect(bytes: bytes) }
        #expect(error?.code == .zipBomb)
    }

    @Test("too many members and too much uncompressed data are refused")
    func zipLimits() {
        let many = (0..<150).map { ZipWriter.Entry(name: "ppt/media/m\($0).bin", data: [1]) }
        let manyError = try? #require(throws: ConversionError.self) {
            try self.inspector.inspect(bytes: Self.minimalPackage(slides: [false], extra: many))
        }
        #expect(manyError?.code == .zipBomb)
        let tolerant = DeckInspector(
            limits: DeckInspector.Limits(
                maxInputBytes: 10 << 20,
                maxZipMembers: 100,
                maxUncompressedBytes: 64 << 20,
                maxCompressionRatio: 1_000_000
            )
        )
        let big = (0..<5).map {
            ZipWriter.Entry(name: "ppt/media/b\($0).bin", data: [UInt8](repeating: 7, count: 14 << 20), deflate: true)
        }
        let bigError = try? #require(throws: ConversionError.self) {
            try tolerant.inspect(bytes: Self.minimalPackage(slides: [false], extra: big))
        }
        #expect(bigError?.code == .zipBomb)
    }

    @Test("a member that inflates past its declared size is refused")
    func lyingMember() throws {
        var bytes = Self.minimalPackage(slides: [false])
        // Shrink the declared size of slide1.xml in the central directory so inflating overruns it.
        let archive = try ZipArchive(bytes: bytes)
        let member = try #require(archive.member(named: "ppt/slides/slide1.xml"))
        let name = Array("ppt/slides/slide1.xml".utf8)
        var central = 0
        for index in stride(from: bytes.count - 4, to: 0, by: -1)
        where bytes[index] == 0x50 && bytes[index + 1] == 0x4B && bytes[index + 2] == 1 && bytes[index + 3] == 2
            && Array(bytes[(index + 46)..<(index + 46 + name.count)]) == name
        {
            central = index
            break
        }
        #expect(member.uncompressedSize > 4)
        bytes.replaceSubrange((central + 24)..<(central + 28), with: ZipWriter.u32(4))
        let error = try? #require(throws: ConversionError.self) { try self.inspector.inspect(bytes: bytes) }
        #expect(error?.code == .zipBomb)
    }

    @Test("an encrypted OOXML document (OLE container with EncryptedPackage) is reported as password-protected")
    func encryptedPackage() {
        let bytes = CompoundFileWriter.file(streams: [
            ("EncryptionInfo", [UInt8](repeating: 4, count: 4096)),
            ("EncryptedPackage", [UInt8](repeating: 9, count: 8192)),
        ])
        let error = try? #require(throws: ConversionError.self) { try self.inspector.inspect(bytes: bytes) }
        #expect(error?.code == .passwordProtected)
    }

    @Test("an OLE file that is not PowerPoint is refused")
    func otherOLE() {
        let bytes = CompoundFileWriter.file(streams: [("WordDocument", [UInt8](repeating: 1, count: 4096))])
        let error = try? #require(throws: ConversionError.self) { try self.inspector.inspect(bytes: bytes) }
        #expect(error?.code == .unsupportedType)
    }

    @Test("an oversized input is refused")
    func tooLarge() {
        let small = DeckInspector(
            limits: DeckInspector.Limits(
                maxInputBytes: 1024,
                maxZipMembers: 100,
                maxUncompressedBytes: 1 << 20,
                maxCompressionRatio: 200
            )
        )
        let error = try? #require(throws: ConversionError.self) {
            try small.inspect(bytes: [0x50, 0x4B] + [UInt8](repeating: 0, count: 4096))
        }
        #expect(error?.code == .inputTooLarge)
    }
}
