// Attest — certificates and documents you can verify. Apache-2.0.

/// Lays out an OLE compound file sector by sector with whatever header and tables a test asks for, consistent or
/// not: the raw material of hostile .ppt files.
enum SectorFileWriter {
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let freeSector: UInt32 = 0xFFFF_FFFF
    static let fatSector: UInt32 = 0xFFFF_FFFD

    /// The header fields a test sets; the rest are the usual constants.
    struct Header {
        /// 9 for 512-byte sectors (version 3), 12 for 4096-byte sectors (version 4).
        var sectorShift: UInt16 = 9
        var fatSectorCount: UInt32
        var firstDirectorySector: UInt32
        var miniStreamCutoff: UInt32 = 4096
        var firstMiniFATSector: UInt32 = SectorFileWriter.endOfChain
        var firstDIFATSector: UInt32 = SectorFileWriter.endOfChain
        /// The first 109 FAT sector numbers; the rest of the header's DIFAT is free.
        var headerDIFAT: [UInt32]
    }

    /// The header sector followed by `sectorCount` sectors: those in `sectors` (padded with zeros), zeros elsewhere.
    static func file(_ header: Header, sectorCount: Int, sectors: [Int: [UInt8]]) -> [UInt8] {
        let sectorSize = 1 << Int(header.sectorShift)
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 16)
        bytes += ZipWriter.u16(0x003E) + ZipWriter.u16(header.sectorShift == 9 ? 3 : 4) + ZipWriter.u16(0xFFFE)
        bytes += ZipWriter.u16(header.sectorShift) + ZipWriter.u16(6) + [UInt8](repeating: 0, count: 6)
        bytes += ZipWriter.u32(0) + ZipWriter.u32(header.fatSectorCount) + ZipWriter.u32(header.firstDirectorySector)
        bytes += ZipWriter.u32(0) + ZipWriter.u32(header.miniStreamCutoff) + ZipWriter.u32(header.firstMiniFATSector)
        bytes += ZipWriter.u32(0) + ZipWriter.u32(header.firstDIFATSector) + ZipWriter.u32(0)
        for index in 0..<109 {
            bytes += ZipWriter.u32(index < header.headerDIFAT.count ? header.headerDIFAT[index] : Self.freeSector)
        }
        bytes += [UInt8](repeating: 0, count: sectorSize - bytes.count)
        for index in 0..<sectorCount {
            var sector = sectors[index] ?? []
            sector += [UInt8](repeating: 0, count: sectorSize - sector.count)
            bytes += sector
        }
        return bytes
    }

    /// A FAT, mini-FAT or DIFAT sector holding `entries`, free after them.
    static func table(_ entries: [UInt32], sectorSize: Int = 512) -> [UInt8] {
        (entries + [UInt32](repeating: Self.freeSector, count: sectorSize / 4 - entries.count)).flatMap(ZipWriter.u32)
    }

    /// One 128-byte directory entry (type 5 is the root, 2 a stream), black in the red-black tree, with its child
    /// and right sibling (none by default).
    static func directoryEntry(
        _ name: String,
        type: UInt8,
        start: UInt32,
        size: UInt32,
        child: UInt32 = freeSector,
        right: UInt32 = freeSector
    ) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 128)
        let units = Array(name.utf16)
        for (index, unit) in units.enumerated() {
            bytes[2 * index] = UInt8(unit & 0xFF)
            bytes[2 * index + 1] = UInt8(unit >> 8)
        }
        bytes.replaceSubrange(64..<66, with: ZipWriter.u16(UInt16((units.count + 1) * 2)))
        bytes[66] = type
        bytes[67] = 1
        bytes.replaceSubrange(68..<80, with: ZipWriter.u32(Self.freeSector) + ZipWriter.u32(right) + ZipWriter.u32(child))
        bytes.replaceSubrange(116..<120, with: ZipWriter.u32(start))
        bytes.replaceSubrange(120..<124, with: ZipWriter.u32(size))
        return bytes
    }
}
