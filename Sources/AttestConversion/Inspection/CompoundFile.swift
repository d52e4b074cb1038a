// Attest — certificates and documents you can verify. Apache-2.0.

/// A read-only OLE compound file ([MS-CFB]) held in memory: the container of .ppt decks and of encrypted OOXML.
///
/// Every chain the file describes (DIFAT, FAT, mini FAT) is walked with a visited set and may only name sectors the
/// file really has, so no walk takes more steps than the file has sectors and nothing read is larger than the file,
/// whatever its tables say.
struct CompoundFile {
    /// A stream's name and where its data starts.
    struct Entry {
        var name: String
        var type: UInt8
        var startSector: UInt32
        var size: UInt64
    }

    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    /// Streams smaller than this live in the mini stream. [MS-CFB] fixes it at 4096; the header's copy is not read.
    private static let miniStreamCutoff: UInt64 = 4096
    private static let miniSectorSize = 64

    let reader: ByteReader
    let sectorSize: Int
    /// Sectors the file really holds after its header: the bound of every regular chain.
    let sectorCount: Int
    let fat: [UInt32]
    let miniFAT: [UInt32]
    let miniStream: [UInt8]
    let entries: [Entry]

    /// Parses the header, allocation tables and directory; throws `damagedInput` on anything inconsistent.
    init(bytes: [UInt8]) throws {
        let reader = ByteReader(bytes, what: "compound document")
        self.reader = reader
        guard bytes.count >= 512 else { throw reader.truncated() }
        let sectorShift = Int(try reader.u16(0x1E))
        guard sectorShift == 9 || sectorShift == 12 else { throw reader.truncated() }
        let sectorSize = 1 << sectorShift
        self.sectorSize = sectorSize
        guard bytes.count >= sectorSize else { throw reader.truncated() }
        let sectorCount = bytes.count / sectorSize - 1
        self.sectorCount = sectorCount
        let fatSectorCount = try reader.u32Int(0x2C)
        let firstDirectorySector = try reader.u32(0x30)
        let firstMiniFATSector = try reader.u32(0x3C)
        var nextDIFAT = try reader.u32(0x44)
        guard fatSectorCount <= sectorCount else { throw reader.truncated() }

        // FAT sector numbers: 109 in the header, the rest in the DIFAT chain. Each names a distinct sector of the
        // file, so the FAT is never larger than the file however often the DIFAT repeats itself.
        var fatSectors: [Int] = []
        var seenFATSectors = Set<UInt32>()
        func appendFATSector(_ sector: UInt32) throws {
            guard Int(sector) < sectorCount, seenFATSectors.insert(sector).inserted else {
                throw ConversionError(.damagedInput, "the compound document's FAT names a sector twice or past the end")
            }
            fatSectors.append(Int(sector))
        }
        for index in 0..<109 where fatSectors.count < fatSectorCount {
            try appendFATSector(try reader.u32(0x4C + 4 * index))
        }
        var seenDIFATSectors = Set<UInt32>()
        while fatSectors.count < fatSectorCount, nextDIFAT < Self.endOfChain {
            guard Int(nextDIFAT) < sectorCount, seenDIFATSectors.insert(nextDIFAT).inserted else {
                throw ConversionError(.damagedInput, "the compound document's DIFAT chain loops or leaves the file")
            }
            let base = (Int(nextDIFAT) + 1) * sectorSize
            for index in 0..<(sectorSize / 4 - 1) where fatSectors.count < fatSectorCount {
                try appendFATSector(try reader.u32(base + 4 * index))
            }
            nextDIFAT = try reader.u32(base + sectorSize - 4)
        }
        guard fatSectors.count == fatSectorCount else { throw reader.truncated() }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectorCount * sectorSize / 4)
        for sector in fatSectors {
            let base = (sector + 1) * sectorSize
            for index in 0..<(sectorSize / 4) { fat.append(try reader.u32(base + 4 * index)) }
        }
        self.fat = fat

        let directory = try Self.regularChain(
            reader,
            fat: fat,
            start: firstDirectorySector,
            sectorSize: sectorSize,
            sectorCount: sectorCount,
            limit: nil
        )
        var entries: [Entry] = []
        let directoryReader = ByteReader(directory, what: "compound document directory")
        var offset = 0
        while offset + 128 <= directory.count {
            let nameLength = Int(try directoryReader.u16(offset + 64))
            let type = try directoryReader.u8(offset + 66)
            if type != 0, nameLength >= 2, nameLength <= 64 {
                var units: [UInt16] = []
                for index in 0..<(nameLength / 2 - 1) { units.append(try directoryReader.u16(offset + 2 * index)) }
                let name = String(decoding: units, as: UTF16.self)
                let size = try directoryReader.u64(offset + 120) & (sectorSize == 512 ? 0xFFFF_FFFF : .max)
                entries.append(
                    Entry(name: name, type: type, startSector: try directoryReader.u32(offset + 116), size: size)
                )
            }
            offset += 128
        }
        self.entries = entries

        guard let root = entries.first(where: { $0.type == 5 }) else { throw reader.truncated() }
        if root.size > 0 {
            let stream = try Self.regularChain(
                reader,
                fat: fat,
                start: root.startSector,
                sectorSize: sectorSize,
                sectorCount: sectorCount,
                limit: root.size
            )
            guard UInt64(stream.count) >= root.size else { throw reader.truncated() }
            self.miniStream = Array(stream.prefix(Int(root.size)))
        } else {
            self.miniStream = []
        }
        if firstMiniFATSector < Self.endOfChain {
            let table = try Self.regularChain(
                reader,
                fat: fat,
                start: firstMiniFATSector,
                sectorSize: sectorSize,
                sectorCount: sectorCount,
                limit: nil
            )
            let tableReader = ByteReader(table, what: "compound document")
            self.miniFAT = try (0..<(table.count / 4)).map { try tableReader.u32(4 * $0) }
        } else {
            self.miniFAT = []
        }
    }

    /// Whether a stream or storage with this name exists anywhere in the file.
    func contains(_ name: String) -> Bool {
        self.entries.contains { $0.name == name }
    }

    /// The data of the stream with this name.
    func stream(named name: String) throws -> [UInt8]? {
        guard let entry = self.entries.first(where: { $0.name == name && $0.type == 2 }) else { return nil }
        let data: [UInt8]
        if entry.size == 0 {
            data = []
        } else if entry.size < Self.miniStreamCutoff {
            var bytes: [UInt8] = []
            try Self.walkChain(
                from: entry.startSector,
                table: self.miniFAT,
                sectorCount: self.miniStream.count / Self.miniSectorSize
            ) { sector in
                let start = sector * Self.miniSectorSize
                bytes.append(contentsOf: self.miniStream[start..<(start + Self.miniSectorSize)])
                return UInt64(bytes.count) < entry.size
            }
            data = bytes
        } else {
            data = try Self.regularChain(
                self.reader,
                fat: self.fat,
                start: entry.startSector,
                sectorSize: self.sectorSize,
                sectorCount: self.sectorCount,
                limit: entry.size
            )
        }
        guard UInt64(data.count) >= entry.size else { throw self.reader.truncated() }
        return Array(data.prefix(Int(entry.size)))
    }

    /// Follows a chain of sector numbers through `table` from `start` until the end-of-chain mark, calling `visit`
    /// with each sector; `visit` returns false when it has read enough.
    ///
    /// A sector outside `0..<sectorCount` (the sectors the file or mini stream really has) or one met twice is
    /// `damagedInput`, so a walk makes at most `sectorCount` calls to `visit` whatever `table` says.
    static func walkChain(
        from start: UInt32,
        table: [UInt32],
        sectorCount: Int,
        visit: (Int) throws -> Bool
    ) throws {
        var visited = Set<UInt32>()
        var sector = start
        // The end-of-chain mark ends a chain; so does a free-sector mark, which some writers leave there.
        while sector < Self.endOfChain {
            guard Int(sector) < sectorCount, Int(sector) < table.count else {
                throw ConversionError(.damagedInput, "the compound document has a sector chain that leaves the file")
            }
            guard visited.insert(sector).inserted else {
                throw ConversionError(.damagedInput, "the compound document has a sector chain that loops")
            }
            guard try visit(Int(sector)) else { return }
            sector = table[Int(sector)]
        }
    }

    /// The data of the regular-sector chain from `start`: at least `limit` bytes when the chain has them, with no
    /// limit the whole chain.
    private static func regularChain(
        _ reader: ByteReader,
        fat: [UInt32],
        start: UInt32,
        sectorSize: Int,
        sectorCount: Int,
        limit: UInt64?
    ) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try Self.walkChain(from: start, table: fat, sectorCount: sectorCount) { sector in
            bytes.append(contentsOf: try reader.slice((sector + 1) * sectorSize, sectorSize))
            return limit.map { UInt64(bytes.count) < $0 } ?? true
        }
        return bytes
    }
}
