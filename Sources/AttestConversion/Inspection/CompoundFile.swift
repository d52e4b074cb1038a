// Attest — certificates and documents you can verify. Apache-2.0.

/// A read-only OLE compound file ([MS-CFB]) held in memory: the container of .ppt decks and of encrypted OOXML.
struct CompoundFile {
    /// A stream's name and where its data starts.
    struct Entry {
        var name: String
        var type: UInt8
        var startSector: UInt32
        var size: UInt64
    }

    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let freeSector: UInt32 = 0xFFFF_FFFF

    let reader: ByteReader
    let sectorSize: Int
    let fat: [UInt32]
    let miniFAT: [UInt32]
    let miniStream: [UInt8]
    let miniStreamCutoff: UInt64
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
        let fatSectorCount = Int(try reader.u32(0x2C))
        let firstDirectorySector = try reader.u32(0x30)
        self.miniStreamCutoff = UInt64(try reader.u32(0x38))
        let firstMiniFATSector = try reader.u32(0x3C)
        var nextDIFAT = try reader.u32(0x44)
        let sectorCount = bytes.count / sectorSize
        guard fatSectorCount <= sectorCount else { throw reader.truncated() }

        // FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
        var fatSectors: [UInt32] = []
        for index in 0..<109 where fatSectors.count < fatSectorCount {
            fatSectors.append(try reader.u32(0x4C + 4 * index))
        }
        var guardCount = 0
        while fatSectors.count < fatSectorCount, nextDIFAT < Self.endOfChain {
            guardCount += 1
            guard guardCount <= sectorCount else { throw reader.truncated() }
            let base = (Int(nextDIFAT) + 1) * sectorSize
            for index in 0..<(sectorSize / 4 - 1) where fatSectors.count < fatSectorCount {
                fatSectors.append(try reader.u32(base + 4 * index))
            }
            nextDIFAT = try reader.u32(base + sectorSize - 4)
        }
        guard fatSectors.count == fatSectorCount else { throw reader.truncated() }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectorCount * sectorSize / 4)
        for sector in fatSectors {
            let base = (Int(sector) + 1) * sectorSize
            for index in 0..<(sectorSize / 4) { fat.append(try reader.u32(base + 4 * index)) }
        }
        self.fat = fat

        let directory = try Self.chain(reader, fat: fat, start: firstDirectorySector, sectorSize: sectorSize)
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
            let stream = try Self.chain(reader, fat: fat, start: root.startSector, sectorSize: sectorSize)
            guard UInt64(stream.count) >= root.size else { throw reader.truncated() }
            self.miniStream = Array(stream[0..<Int(root.size)])
        } else {
            self.miniStream = []
        }
        if firstMiniFATSector < Self.endOfChain {
            let table = try Self.chain(reader, fat: fat, start: firstMiniFATSector, sectorSize: sectorSize)
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
        if entry.size < self.miniStreamCutoff {
            var bytes: [UInt8] = []
            var sector = entry.startSector
            var steps = 0
            while sector < Self.endOfChain, UInt64(bytes.count) < entry.size {
                steps += 1
                guard Int(sector) < self.miniFAT.count, steps <= self.miniFAT.count else {
                    throw self.reader.truncated()
                }
                let start = Int(sector) * 64
                guard start + 64 <= self.miniStream.count else { throw self.reader.truncated() }
                bytes.append(contentsOf: self.miniStream[start..<(start + 64)])
                sector = self.miniFAT[Int(sector)]
            }
            data = bytes
        } else {
            data = try Self.chain(self.reader, fat: self.fat, start: entry.startSector, sectorSize: self.sectorSize)
        }
        guard UInt64(data.count) >= entry.size else { throw self.reader.truncated() }
        return Array(data[0..<Int(entry.size)])
    }

    private static func chain(_ reader: ByteReader, fat: [UInt32], start: UInt32, sectorSize: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var sector = start
        var steps = 0
        while sector < endOfChain {
            steps += 1
            guard Int(sector) < fat.count, steps <= fat.count else { throw reader.truncated() }
            bytes.append(contentsOf: try reader.slice((Int(sector) + 1) * sectorSize, sectorSize))
            sector = fat[Int(sector)]
        }
        return bytes
    }
}
