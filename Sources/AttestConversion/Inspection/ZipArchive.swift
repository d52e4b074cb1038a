// Attest — certificates and documents you can verify. Apache-2.0.

/// A read-only view of a zip package held in memory: its central directory, and members inflated on demand.
///
/// Every size and offset the package declares is checked against the file before it is used: a member whose data
/// would start or end past the last byte is `damagedInput`, never a trap.
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

    /// The smallest central-directory entry: the fixed fields, with no name, extra field or comment.
    private static let minimumEntrySize = 46

    let reader: ByteReader
    let members: [Member]
    /// Position in `members` of the first member with each name (a later duplicate is never looked up).
    private let firstMemberByName: [String: Int]

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
        let directorySize = try reader.u32Int(end + 12)
        let directoryOffset = try reader.u32Int(end + 16)
        if entryCount == 0xFFFF || directoryOffset == 0xFFFF_FFFF {
            throw ConversionError(.zipBomb, "ZIP64 packages are not accepted")
        }
        guard directorySize <= end, directoryOffset <= end - directorySize else {
            throw ConversionError(.damagedInput, "the .pptx package is truncated (central directory out of range)")
        }
        guard entryCount <= directorySize / Self.minimumEntrySize else {
            throw ConversionError(
                .damagedInput,
                "the .pptx package's central directory lists more members than it has room for"
            )
        }
        let directoryEnd = directoryOffset + directorySize
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
            let entryEnd = offset + Self.minimumEntrySize + nameLength + extraLength + commentLength
            guard entryEnd <= directoryEnd else {
                throw ConversionError(.damagedInput, "the .pptx package has a central-directory entry past its end")
            }
            let name = String(decoding: try reader.slice(offset + 46, nameLength), as: UTF8.self)
            // ZIP64 extra field (0x0001) carries the real values of fields set to 0xFFFFFFFF, in this order.
            var extra = offset + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try reader.u16(extra)
                let fieldEnd = extra + 4 + Int(try reader.u16(extra + 2))
                // Padding after the last field (zipalign writes some) is not a field.
                guard fieldEnd <= extraEnd else { break }
                if id == 0x0001 {
                    let values = try reader.slice(extra + 4, fieldEnd - extra - 4)
                    let field = ByteReader(Array(values), what: "zip package")
                    var position = 0
                    if uncompressed == 0xFFFF_FFFF {
                        uncompressed = try field.u64(position)
                        position += 8
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = try field.u64(position)
                        position += 8
                    }
                    if localOffset == 0xFFFF_FFFF { localOffset = try field.u64(position) }
                }
                extra = fieldEnd
            }
            guard localOffset < UInt64(bytes.count), compressed <= UInt64(bytes.count) else {
                throw ConversionError(
                    .damagedInput,
                    "the .pptx package is corrupt (a member's offset or compressed size is past the end of the file)"
                )
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
            offset = entryEnd
        }
        self.members = members
        var firstMemberByName: [String: Int] = [:]
        for (position, member) in members.enumerated() where firstMemberByName[member.name] == nil {
            firstMemberByName[member.name] = position
        }
        self.firstMemberByName = firstMemberByName
    }

    /// The member with this exact name, if present (the first one when the package repeats a name).
    func member(named name: String) -> Member? {
        self.firstMemberByName[name].map { self.members[$0] }
    }

    /// The member's bytes, inflated; never more than its declared size.
    func contents(of member: Member) throws -> [UInt8] {
        let pastEnd = ConversionError(
            .damagedInput,
            "the .pptx package is corrupt (a member's offset or compressed size is past the end of the file)"
        )
        let local = try ByteReader.int(member.localHeaderOffset, orThrow: pastEnd)
        let compressedSize = try ByteReader.int(member.compressedSize, orThrow: pastEnd)
        guard try self.reader.u32(local) == 0x0403_4B50 else {
            throw ConversionError(.damagedInput, "the .pptx package is corrupt (bad local header)")
        }
        let nameLength = Int(try self.reader.u16(local + 26))
        let extraLength = Int(try self.reader.u16(local + 28))
        let data = try self.reader.slice(local + 30 + nameLength + extraLength, compressedSize)
        switch member.method {
        case 0:
            guard member.uncompressedSize == member.compressedSize else {
                throw ConversionError(.damagedInput, "the .pptx package is corrupt (a stored member's sizes differ)")
            }
            return Array(data)
        case 8:
            let inflater = try Inflater()
            return try inflater.inflate(data, limit: Int(clamping: member.uncompressedSize))
        default:
            throw ConversionError(.damagedInput, "the .pptx package uses an unsupported compression method")
        }
    }
}
