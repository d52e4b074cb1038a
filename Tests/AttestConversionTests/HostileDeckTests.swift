// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Testing

@testable import AttestConversion

/// Decks made by an attacker: each size, offset and chain the parsers follow is bounded by the file, so every one of
/// these is a `ConversionError` with its code, never a trap and never an allocation larger than the input.
@Suite("Hostile decks")
struct HostileDeckTests {
    let inspector = DeckInspector(limits: DeckInspectorTests.testLimits)

    /// Lets highly compressible parts through, so the checks after the zip-bomb limits are reached.
    let tolerant = DeckInspector(
        limits: DeckInspector.Limits(
            maxInputBytes: 10 << 20,
            maxZipMembers: 100,
            maxUncompressedBytes: 1 << 30,
            maxCompressionRatio: 1_000_000
        )
    )

    /// The code of the `ConversionError` that `body` throws; nil when it returns or throws something else.
    func code(_ body: () throws -> Void) -> ConversionError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? ConversionError)?.code
        }
    }

    static let contentTypes = Array(
        #"<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>"#
            .utf8
    )

    // MARK: - Zip

    @Test("a 200-byte .pptx whose ZIP64 field puts a local header at 2^64-1 is damaged input (it trapped)")
    func zip64LocalHeaderOffset() {
        let bytes = RawZipWriter.archive([
            RawZipWriter.Entry(
                name: "[Content_Types].xml",
                data: Array("<Types/>".utf8),
                localHeaderOffset: 0xFFFF_FFFF,
                extra: RawZipWriter.zip64Extra([.max])
            )
        ])
        #expect(bytes.count < 250)
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .damagedInput)
        #expect(self.code { _ = try ZipArchive(bytes: bytes) } == .damagedInput)
    }

    @Test("contents(of:) checks a member's offset and sizes before converting them (each trapped past Int.max)")
    func memberFieldsPastIntMax() throws {
        let archive = try ZipArchive(
            bytes: ZipWriter.archive([ZipWriter.Entry(name: "a.xml", data: Array("<a/>".utf8), deflate: true)])
        )
        let member = try #require(archive.members.first)
        var farOffset = member
        farOffset.localHeaderOffset = .max
        #expect(self.code { _ = try archive.contents(of: farOffset) } == .damagedInput)
        var hugeCompressed = member
        hugeCompressed.compressedSize = .max
        #expect(self.code { _ = try archive.contents(of: hugeCompressed) } == .damagedInput)
        var hugeUncompressed = member
        hugeUncompressed.uncompressedSize = .max
        #expect(try archive.contents(of: hugeUncompressed) == Array("<a/>".utf8))
    }

    @Test("a ZIP64 uncompressed size of 2^64-1 after another member is a zip bomb (the running total overflowed)")
    func zip64UncompressedOverflow() {
        let bytes = RawZipWriter.archive([
            RawZipWriter.Entry(name: "[Content_Types].xml", data: Self.contentTypes),
            RawZipWriter.Entry(
                name: "ppt/media/huge.bin",
                data: [1, 2, 3],
                uncompressedSize: 0xFFFF_FFFF,
                extra: RawZipWriter.zip64Extra([.max])
            ),
        ])
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .zipBomb)
    }

    @Test("ZIP64 compressed sizes past the end of the file are damaged input (their sum overflowed)")
    func zip64CompressedPastEnd() {
        let huge = (0..<2).map {
            RawZipWriter.Entry(
                name: "ppt/media/\($0).bin",
                data: [1],
                compressedSize: 0xFFFF_FFFF,
                extra: RawZipWriter.zip64Extra([.max])
            )
        }
        let bytes = RawZipWriter.archive(
            [RawZipWriter.Entry(name: "[Content_Types].xml", data: Self.contentTypes)] + huge)
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .damagedInput)
    }

    @Test(
        "malformed central directories are damaged input",
        arguments: ["ZIP64 field too short", "more members than room", "stored sizes differ"]
    )
    func malformedDirectory(_ name: String) {
        let bytes: [UInt8]
        switch name {
        case "ZIP64 field too short":
            bytes = RawZipWriter.archive([
                RawZipWriter.Entry(
                    name: "[Content_Types].xml",
                    data: Self.contentTypes,
                    compressedSize: 0xFFFF_FFFF,
                    uncompressedSize: 0xFFFF_FFFF,
                    extra: RawZipWriter.zip64Extra([100])
                )
            ])
        case "more members than room":
            bytes = RawZipWriter.archive(
                [RawZipWriter.Entry(name: "[Content_Types].xml", data: Self.contentTypes)],
                declaredCount: 60_000
            )
        default:
            bytes = RawZipWriter.archive([
                RawZipWriter.Entry(name: "[Content_Types].xml", data: Self.contentTypes, uncompressedSize: 1_000)
            ])
        }
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .damagedInput, "\(name)")
    }

    // MARK: - OOXML

    @Test("a presentation that lists one slide 200,000 times inflates that slide once")
    func repeatedSlide() throws {
        let ids = String(repeating: #"<p:sldId id="256" r:id="rId1"/>"#, count: 200_000)
        let bytes = ZipWriter.archive([
            ZipWriter.Entry(name: "[Content_Types].xml", data: Self.contentTypes),
            ZipWriter.Entry(
                name: "ppt/presentation.xml",
                data: Array("<p:presentation><p:sldIdLst>\(ids)</p:sldIdLst></p:presentation>".utf8),
                deflate: true
            ),
            ZipWriter.Entry(
                name: "ppt/_rels/presentation.xml.rels",
                data: Array(
                    #"<Relationships><Relationship Id="rId1" Target="slides/slide1.xml"/></Relationships>"#.utf8)
            ),
            ZipWriter.Entry(name: "ppt/slides/slide1.xml", data: Array("<p:sld><p:cSld/></p:sld>".utf8), deflate: true),
        ])
        #expect(bytes.count < 100_000)
        let inspection = try self.tolerant.inspect(bytes: bytes)
        #expect(inspection.slides == 200_000)
        #expect(inspection.visibleSlides == 200_000)

        var reads: [String] = []
        let parts = (0..<200_000).map { "ppt/slides/slide\($0 % 3).xml" }
        let hidden = try DeckInspector.hiddenFlags(of: parts) { part in
            reads.append(part)
            return Array(#"<p:sld show="\#(part.hasSuffix("1.xml") ? 0 : 1)"/>"#.utf8)
        }
        #expect(reads.count == 3)
        #expect(hidden.count == 200_000)
        #expect(hidden.filter { $0 }.count == 66_667)
    }

    @Test("an XML part the check would read that inflates past 32 MiB is refused before inflating")
    func hugeXMLPart() {
        let bytes = ZipWriter.archive([
            ZipWriter.Entry(name: "[Content_Types].xml", data: Self.contentTypes),
            ZipWriter.Entry(
                name: "ppt/presentation.xml",
                data: [UInt8](repeating: 0x20, count: 40 << 20),
                deflate: true
            ),
        ])
        #expect(self.code { _ = try self.tolerant.inspect(bytes: bytes) } == .zipBomb)
    }

    // MARK: - Compound file

    @Test("the 2 MiB .ppt whose self-pointing DIFAT repeats one FAT sector is refused at once (it asked for 2.1 GB)")
    func selfPointingDIFAT() {
        // 4096-byte sectors, 511 of them. Every DIFAT entry names FAT sector 0, and the DIFAT sector 1 names itself
        // as the next: the old reader built a FAT of 500 copies of sector 0 (512,000 entries), whose entry 0 points
        // at itself, and walked the directory chain 512,000 times, 4 KiB each.
        var fat = [UInt32](repeating: SectorFileWriter.freeSector, count: 1024)
        fat[0] = 0
        let bytes = SectorFileWriter.file(
            SectorFileWriter.Header(
                sectorShift: 12,
                fatSectorCount: 500,
                firstDirectorySector: 0,
                firstDIFATSector: 1,
                headerDIFAT: [UInt32](repeating: 0, count: 109)
            ),
            sectorCount: 511,
            sectors: [
                0: SectorFileWriter.table(fat, sectorSize: 4096),
                1: SectorFileWriter.table([UInt32](repeating: 0, count: 1023) + [1], sectorSize: 4096),
            ]
        )
        #expect(bytes.count == 2 << 20)
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .damagedInput)
    }

    @Test("a DIFAT chain that comes back to itself is damaged input")
    func loopingDIFAT() throws {
        // Distinct FAT sectors 2…110 in the header and 111…237 in DIFAT sector 1, whose next DIFAT sector is 1 again.
        let bytes = SectorFileWriter.file(
            SectorFileWriter.Header(
                fatSectorCount: 250,
                firstDirectorySector: 0,
                firstDIFATSector: 1,
                headerDIFAT: (2..<111).map(UInt32.init)
            ),
            sectorCount: 300,
            sectors: [1: SectorFileWriter.table((111..<238).map(UInt32.init) + [1])]
        )
        let error = try #require(throws: ConversionError.self) { try CompoundFile(bytes: bytes) }
        #expect(error.code == .damagedInput)
        #expect(error.message.contains("DIFAT"))
    }

    @Test("a chain that points a sector at itself stops at the first repeat")
    func selfPointingChain() throws {
        var visits = 0
        let error = try #require(throws: ConversionError.self) {
            try CompoundFile.walkChain(from: 0, table: [UInt32](repeating: 0, count: 500_000), sectorCount: 4_000) {
                _ in
                visits += 1
                return true
            }
        }
        #expect(error.code == .damagedInput)
        #expect(visits == 1)
    }

    @Test("a chain longer than the file stops after as many sectors as the file has, whatever the table says")
    func chainLongerThanFile() throws {
        var visits = 0
        let table = (1...1_000_000).map(UInt32.init)
        let error = try #require(throws: ConversionError.self) {
            try CompoundFile.walkChain(from: 0, table: table, sectorCount: 512) { _ in
                visits += 1
                return true
            }
        }
        #expect(error.code == .damagedInput)
        #expect(visits == 512)
    }

    /// A .ppt-shaped file: FAT in sector 0, directory in 1, mini stream in 2, mini FAT in 3, and a "Current User"
    /// stream of 100 bytes in the mini stream whose mini-FAT chain is `miniFAT`.
    static func miniStreamFile(directoryNext: UInt32, miniFAT: [UInt32]) -> [UInt8] {
        let fat: [UInt32] = [
            SectorFileWriter.fatSector, directoryNext, SectorFileWriter.endOfChain, SectorFileWriter.endOfChain,
        ]
        let directory =
            SectorFileWriter.directoryEntry("Root Entry", type: 5, start: 2, size: 128)
            + SectorFileWriter.directoryEntry("Current User", type: 2, start: 0, size: 100)
        return SectorFileWriter.file(
            SectorFileWriter.Header(
                fatSectorCount: 1,
                firstDirectorySector: 1,
                firstMiniFATSector: 3,
                headerDIFAT: [0]
            ),
            sectorCount: 4,
            sectors: [0: SectorFileWriter.table(fat), 1: directory, 3: SectorFileWriter.table(miniFAT)]
        )
    }

    @Test("a directory chain and a mini-stream chain that loop are damaged input")
    func loopingChainsInAFile() throws {
        let good = try CompoundFile(
            bytes: Self.miniStreamFile(
                directoryNext: SectorFileWriter.endOfChain, miniFAT: [1, SectorFileWriter.endOfChain]))
        #expect(try good.stream(named: "Current User")?.count == 100)
        let loopingDirectory = Self.miniStreamFile(directoryNext: 1, miniFAT: [1, SectorFileWriter.endOfChain])
        #expect(self.code { _ = try self.inspector.inspect(bytes: loopingDirectory) } == .damagedInput)
        let loopingMini = try CompoundFile(
            bytes: Self.miniStreamFile(directoryNext: SectorFileWriter.endOfChain, miniFAT: [0]))
        #expect(self.code { _ = try loopingMini.stream(named: "Current User") } == .damagedInput)
    }

    @Test("the header's mini-stream cutoff is not trusted: a 4 GiB cutoff read 16 bytes per FAT entry as mini sectors")
    func miniStreamCutoff() throws {
        let data = (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }
        var fat: [UInt32] = [SectorFileWriter.fatSector, SectorFileWriter.endOfChain]
        for sector in 2..<12 { fat.append(sector == 11 ? SectorFileWriter.endOfChain : UInt32(sector + 1)) }
        var sectors: [Int: [UInt8]] = [
            0: SectorFileWriter.table(fat),
            1: SectorFileWriter.directoryEntry("Root Entry", type: 5, start: SectorFileWriter.endOfChain, size: 0)
                + SectorFileWriter.directoryEntry("Big", type: 2, start: 2, size: 5_000),
        ]
        for sector in 2..<12 { sectors[sector] = Array(data.dropFirst((sector - 2) * 512).prefix(512)) }
        let file = try CompoundFile(
            bytes: SectorFileWriter.file(
                SectorFileWriter.Header(
                    fatSectorCount: 1,
                    firstDirectorySector: 1,
                    miniStreamCutoff: 0xFFFF_FFFF,
                    headerDIFAT: [0]
                ),
                sectorCount: 12,
                sectors: sectors
            )
        )
        #expect(try file.stream(named: "Big") == data)
    }

    // MARK: - PowerPoint 97–2003

    @Test("a .ppt that lists one slide 1,000 times reads that slide once (the record budget refuses re-reading)")
    func repeatedBinarySlide() throws {
        let document = PowerPointWriter.document(
            slideList: [Int](repeating: 0, count: 999) + [1], slides: [true, false], padding: 60)
        let bytes = PowerPointWriter.file(document: document, currentEdit: PowerPointWriter.lastEdit(of: document))
        let inspection = try self.inspector.inspect(bytes: bytes)
        #expect(inspection.format == .ppt)
        #expect(inspection.slides == 1_000)
        #expect(inspection.visibleSlides == 1)
    }

    @Test("persist directories that overlap are damaged input (every edit re-read the whole stream)")
    func overlappingPersistDirectories() {
        let inner = PowerPointWriter.record(
            0x1772,
            ZipWriter.u32(1 << 20 | 1) + ZipWriter.u32(0) + [UInt8](repeating: 0, count: 4_000)
        )
        var document = PowerPointWriter.record(0x1772, inner)
        let firstEdit = document.count
        document += PowerPointWriter.userEdit(previous: 0, directory: 0)
        let secondEdit = document.count
        document += PowerPointWriter.userEdit(previous: firstEdit, directory: 8)
        let bytes = PowerPointWriter.file(document: document, currentEdit: secondEdit)
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .damagedInput)
    }

    @Test("an edit that names itself as the previous edit is damaged input")
    func loopingEdits() {
        var document = PowerPointWriter.persistDirectory([0])
        let edit = document.count
        document += PowerPointWriter.userEdit(previous: edit, directory: 0)
        let bytes = PowerPointWriter.file(document: document, currentEdit: edit)
        #expect(self.code { _ = try self.inspector.inspect(bytes: bytes) } == .damagedInput)
    }

    // MARK: - Fuzz corpora

    /// The committed seed and regression inputs of one fuzz target.
    static func corpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let directory = URL(filePath: #filePath).deletingLastPathComponent().appending(
            path: "../../Fuzz/\(target)/corpus")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            ($0, [UInt8](try Data(contentsOf: directory.appending(path: $0))))
        }
    }

    @Test(
        "every committed fuzz input gives an answer, never a trap",
        arguments: ["ZipArchive", "CompoundFile", "PowerPointBinary", "PDFInspector", "DeckInspector"]
    )
    func fuzzCorpora(_ target: String) throws {
        let parse: ([UInt8]) throws -> Void =
            switch target {
            case "ZipArchive": InspectionFuzzing.zipArchive
            case "CompoundFile": InspectionFuzzing.compoundFile
            case "PowerPointBinary": InspectionFuzzing.powerPointBinary
            case "PDFInspector": InspectionFuzzing.pdf
            default: InspectionFuzzing.deck
            }
        let inputs = try Self.corpus(target)
        #expect(!inputs.isEmpty)
        for input in inputs {
            do {
                try parse(input.bytes)
            } catch {
                #expect(error is ConversionError, "\(target)/\(input.name)")
            }
        }
    }

    @Test("the real decks among the seeds still pass the check")
    func realDecks() throws {
        var decks: [String: [UInt8]] = [:]
        for target in ["ZipArchive", "CompoundFile", "PowerPointBinary", "DeckInspector"] {
            for input in try Self.corpus(target) where input.name.hasPrefix("deck-") { decks[input.name] = input.bytes }
        }
        #expect(decks.count >= 5)
        for (name, bytes) in decks {
            let inspection = try self.inspector.inspect(bytes: bytes)
            #expect(inspection.visibleSlides > 0, "\(name)")
        }
    }
}
