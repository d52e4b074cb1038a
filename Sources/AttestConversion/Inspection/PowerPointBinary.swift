// Attest — certificates and documents you can verify. Apache-2.0.

/// Reads the slide list of a PowerPoint 97–2003 deck ([MS-PPT]) from its compound file, without LibreOffice.
///
/// Follows the current user's last edit, the persist directory (newest edit wins) and the document's slide list,
/// then reads each slide's `SlideShowSlideInfoAtom` for the hidden flag.
struct PowerPointBinary {
    /// Slides in presentation order and whether each is hidden.
    let hiddenFlags: [Bool]

    private enum RecordType {
        static let document: UInt16 = 0x03E8
        static let slide: UInt16 = 0x03EE
        static let slideShowSlideInfo: UInt16 = 0x03F9
        static let slidePersist: UInt16 = 0x03F3
        static let slideListWithText: UInt16 = 0x0FF0
        static let userEdit: UInt16 = 0x0FF5
        static let persistDirectory: UInt16 = 0x1772
    }

    /// `headerToken` of a CurrentUserAtom when the document is encrypted.
    static let encryptedHeaderToken: UInt32 = 0xF3D1_C4DF

    init(file: CompoundFile) throws {
        guard let currentUser = try file.stream(named: "Current User"),
            let documentBytes = try file.stream(named: "PowerPoint Document")
        else {
            throw ConversionError(.unsupportedType, "the file is an OLE document but not a PowerPoint presentation")
        }
        let user = ByteReader(currentUser, what: "PowerPoint current-user record")
        let headerToken = try user.u32(12)
        if headerToken == Self.encryptedHeaderToken || file.contains("EncryptedSummary") {
            throw ConversionError(.passwordProtected, "the presentation is password-protected (encrypted .ppt)")
        }
        let document = ByteReader(documentBytes, what: "PowerPoint document stream")

        // Walk the edits from the newest; the first mapping seen for a persist id wins.
        var persist: [UInt32: Int] = [:]
        var editOffset = Int(try user.u32(16))
        var documentPersistID: UInt32?
        var visited = Set<Int>()
        while editOffset != 0 || visited.isEmpty {
            guard visited.insert(editOffset).inserted, visited.count < 10_000 else { throw document.truncated() }
            guard try document.u16(editOffset + 2) == RecordType.userEdit else { throw document.truncated() }
            let editLength = try document.u32(editOffset + 4)
            if editLength >= 0x20 {
                throw ConversionError(.passwordProtected, "the presentation is password-protected (encrypted .ppt)")
            }
            let body = editOffset + 8
            if documentPersistID == nil { documentPersistID = try document.u32(body + 16) }
            let directoryOffset = Int(try document.u32(body + 12))
            guard try document.u16(directoryOffset + 2) == RecordType.persistDirectory else {
                throw document.truncated()
            }
            let directoryEnd = directoryOffset + 8 + Int(try document.u32(directoryOffset + 4))
            var position = directoryOffset + 8
            while position + 4 <= directoryEnd {
                let header = try document.u32(position)
                let firstID = header & 0xF_FFFF
                let count = Int(header >> 20)
                position += 4
                for index in 0..<count {
                    let id = firstID + UInt32(index)
                    if persist[id] == nil { persist[id] = Int(try document.u32(position + 4 * index)) }
                }
                position += 4 * count
            }
            editOffset = Int(try document.u32(body + 8))
            if editOffset == 0 { break }
        }

        guard let documentPersistID, let documentOffset = persist[documentPersistID],
            try document.u16(documentOffset + 2) == RecordType.document
        else {
            throw document.truncated()
        }
        var slidePersistIDs: [UInt32] = []
        try Self.forEachChild(of: documentOffset, in: document) { header, offset in
            guard header.type == RecordType.slideListWithText, header.instance == 0 else { return }
            try Self.forEachChild(of: offset, in: document) { child, childOffset in
                if child.type == RecordType.slidePersist {
                    slidePersistIDs.append(try document.u32(childOffset + 8))
                }
            }
        }
        var hidden: [Bool] = []
        for id in slidePersistIDs {
            guard let slideOffset = persist[id], try document.u16(slideOffset + 2) == RecordType.slide else {
                throw document.truncated()
            }
            var isHidden = false
            try Self.forEachChild(of: slideOffset, in: document) { header, offset in
                if header.type == RecordType.slideShowSlideInfo, header.length >= 12 {
                    isHidden = try document.u16(offset + 8 + 10) & 0x0004 != 0
                }
            }
            hidden.append(isHidden)
        }
        self.hiddenFlags = hidden
    }

    private struct Header {
        var instance: UInt16
        var type: UInt16
        var length: Int
    }

    private static func forEachChild(
        of container: Int,
        in reader: ByteReader,
        _ body: (Header, Int) throws -> Void
    ) throws {
        let end = container + 8 + Int(try reader.u32(container + 4))
        guard end <= reader.count else { throw reader.truncated() }
        var position = container + 8
        while position + 8 <= end {
            let header = Header(
                instance: try reader.u16(position) >> 4,
                type: try reader.u16(position + 2),
                length: Int(try reader.u32(position + 4))
            )
            guard position + 8 + header.length <= end else { throw reader.truncated() }
            try body(header, position)
            position += 8 + header.length
        }
    }
}
