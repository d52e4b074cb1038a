// Attest — certificates and documents you can verify. Apache-2.0.

/// A read-only view of a zip package held in memory: its central directory, and members inflated on demand.
struct ZipArchive {
    /// One member as the central directory describes it.
    struct Member {
        var name: String
        var method: UInt16
        var flags: UInt16
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    let reader: ByteReader
    let members: [Member]

    /// Reads the central directory; throws `damagedInput` when the package is truncated or not a zip.
    init(bytes: [UInt8]) throws {
        self.reader = ByteReader(bytes, what: "zip package")
        let reader = self.reader
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        let earliest = max(0, bytes.count - 22 - 65_535)
        var end: Int?
        var position = bytes.count - 22
        while position >= earliest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05,
                bytes[position + 3] == 0x06
            {
                end = position
                break
            }
            position -= 1
        }
        guard let end else {
            throw ConversionError(.damagedInput, "the .pptx package is truncated (no zip central directory)")
        }
        let entryCount = Int(try reader.u16(end + 10))
        let directorySize = Int(try reader.u32(end + 12))
        let directoryOffset = Int(try reader.u32(end + 16))
        if entryCount == 0xFFFF || directoryOffset == 0xFFFF_FFFF {
            throw ConversionError(.zipBomb, "ZIP64 packages are not accepted")
        }
        guard directoryOffset + directorySize <= end else {
            throw ConversionError(.damagedInput, "the .pptx package is truncated (central directory out of range)")
        }
        var members: [Member] = []
        members.reserveCapacity(entryCount)
        var offset = directoryOffset
        for _ in 0..<entryCount {
            guard try reader.u32(offset) == 0x0201_4B50 else {
                throw ConversionError(.damagedInput, "the .pptx package has a corrupt central directory")
            }
            let flags = try reader.u16(offset + 8)
            let method = try reader.u16(offset + 10)
            var compressed = UInt64(try reader.u32(offset + 20))
            var uncompressed = UInt64(try reader.u32(offset + 24))
            let nameLength = Int(try reader.u16(offset + 28))
            let extraLength = Int(try reader.u16(offset + 30))
            let commentLength = Int(try reader.u16(offset + 32))
            var localOffset = UInt64(try reader.u32(offset + 42))
            let name = String(decoding: try reader.slice(offset + 46, nameLength), as: UTF8.self)
            // ZIP64 extra field (0x0001) carries the real values of fields set to 0xFFFFFFFF.
            var extra = offset + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try reader.u16(extra)
                let size = Int(try reader.u16(extra + 2))
                if id == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF {
                        uncompressed = try reader.u64(field)
                        field += 8
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = try reader.u64(field)
                        field += 8
                    }
                    if localOffset == 0xFFFF_FFFF { localOffset = try reader.u64(field) }
                }
                extra += 4 + size
            }
            members.append(
                Member(
                    name: name,
                    method: method,
                    flags: flags,
                    compressedSize: compressed,
                    uncompressedSize: uncompressed,
                    localHeaderOffset: localOffset
                )
            )
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.members = members
    }

    /// The member with this exact name, if present.
    func member(named name: String) -> Member? {
        self.members.first { $0.name == name }
    }

    /// The member's bytes, inflated; never more than its declared size.
    func contents(of member: Member) throws -> [UInt8] {
        let local = Int(member.localHeaderOffset)
        guard try self.reader.u32(local) == 0x0403_4B50 else {
            throw ConversionError(.damagedInput, "the .pptx package is corrupt (bad local header)")
        }
        let nameLength = Int(try self.reader.u16(local + 26))
        let extraLength = Int(try self.reader.u16(local + 28))
        let data = try self.reader.slice(local + 30 + nameLength + extraLength, Int(member.compressedSize))
        switch member.method {
        case 0:
            return Array(data)
        case 8:
            let inflater = try Inflater()
            return try inflater.inflate(data, limit: Int(member.uncompressedSize))
        default:
            throw ConversionError(.damagedInput, "the .pptx package uses an unsupported compression method")
        }
    }
}
