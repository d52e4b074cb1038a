// Attest — certificates and documents you can verify. Apache-2.0.

/// Reads the slide list of a PowerPoint 97–2003 deck ([MS-PPT]) from its compound file, without LibreOffice.
///
/// Follows the current user's last edit, the persist directory (newest edit wins) and the document's slide list,
/// then reads each slide's `SlideShowSlideInfoAtom` for the hidden flag. Every walk is bounded by the document
/// stream's size: each edit and each persist directory is read once, and the records read in all (document, slide
/// list, each distinct slide) cannot outnumber the 8-byte record headers the stream has room for.
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
        var editOffset = try user.u32Int(16)
        var documentPersistID: UInt32?
        var visitedEdits = Set<Int>()
        var readDirectories = Set<Int>()
        // Persist directories of distinct edits do not overlap, so together they fit in the stream.
        var directoryBytesLeft = document.count
        while editOffset != 0 || visitedEdits.isEmpty {
            guard visitedEdits.insert(editOffset).inserted else {
                throw ConversionError(.damagedInput, "the PowerPoint document's chain of edits loops")
            }
            guard try document.u16(editOffset + 2) == RecordType.userEdit else { throw document.truncated() }
            let editLength = try document.u32(editOffset + 4)
            if editLength >= 0x20 {
                throw ConversionError(.passwordProtected, "the presentation is password-protected (encrypted .ppt)")
            }
            let body = editOffset + 8
            if documentPersistID == nil { documentPersistID = try document.u32(body + 16) }
            let directoryOffset = try document.u32Int(body + 12)
            if readDirectories.insert(directoryOffset).inserted {
                guard try document.u16(directoryOffset + 2) == RecordType.persistDirectory else {
                    throw document.truncated()
                }
                let directoryLength = try document.u32Int(directoryOffset + 4)
                guard directoryLength <= directoryBytesLeft else {
                    throw ConversionError(.damagedInput, "the PowerPoint document's persist directories overlap")
                }
                directoryBytesLeft -= directoryLength
                let directoryEnd = try document.sum(directoryOffset + 8, directoryLength)
                guard directoryEnd <= document.count else { throw document.truncated() }
                var position = directoryOffset + 8
                while position + 4 <= directoryEnd {
                    let header = try document.u32(position)
                    let firstID = header & 0xF_FFFF
                    let count = Int(header >> 20)
                    position += 4
                    guard position + 4 * count <= directoryEnd else { throw document.truncated() }
                    for index in 0..<count {
                        let id = firstID + UInt32(index)
                        if persist[id] == nil { persist[id] = try document.u32Int(position + 4 * index) }
                    }
                    position += 4 * count
                }
            }
            editOffset = try document.u32Int(body + 8)
        }

        guard let documentPersistID, let documentOffset = persist[documentPersistID],
            try document.u16(documentOffset + 2) == RecordType.document
        else {
            throw document.truncated()
        }
        let records = RecordWalker(document)
        var slidePersistIDs: [UInt32] = []
        try records.forEachChild(of: documentOffset) { header, offset in
            guard header.type == RecordType.slideListWithText, header.instance == 0 else { return }
            try records.forEachChild(of: offset) { child, childOffset in
                if child.type == RecordType.slidePersist {
                    slidePersistIDs.append(try document.u32(childOffset + 8))
                }
            }
        }
        // A slide listed more than once is read once.
        var hiddenBySlideOffset: [Int: Bool] = [:]
        var hidden: [Bool] = []
        for id in slidePersistIDs {
            guard let slideOffset = persist[id], try document.u16(slideOffset + 2) == RecordType.slide else {
                throw document.truncated()
            }
            if let known = hiddenBySlideOffset[slideOffset] {
                hidden.append(known)
                continue
            }
            var isHidden = false
            try records.forEachChild(of: slideOffset) { header, offset in
                if header.type == RecordType.slideShowSlideInfo, header.length >= 12 {
                    isHidden = try document.u16(offset + 8 + 10) & 0x0004 != 0
                }
            }
            hiddenBySlideOffset[slideOffset] = isHidden
            hidden.append(isHidden)
        }
        self.hiddenFlags = hidden
    }

    private struct Header {
        var instance: UInt16
        var type: UInt16
        var length: Int
    }

    /// Lists the children of container records, counting every record it reads against one budget for the stream.
    private final class RecordWalker {
        let reader: ByteReader
        /// Record headers still allowed: the stream has room for `count / 8` of them, and valid decks never read
        /// one record twice.
        var recordsLeft: Int

        init(_ reader: ByteReader) {
            self.reader = reader
            self.recordsLeft = reader.count / 8
        }

        func forEachChild(of container: Int, _ body: (Header, Int) throws -> Void) throws {
            let reader = self.reader
            let end = try reader.sum(container + 8, try reader.u32Int(container + 4))
            guard end <= reader.count else { throw reader.truncated() }
            var position = container + 8
            while position + 8 <= end {
                guard self.recordsLeft > 0 else {
                    throw ConversionError(.damagedInput, "the PowerPoint document's records overlap")
                }
                self.recordsLeft -= 1
                let header = Header(
                    instance: try reader.u16(position) >> 4,
                    type: try reader.u16(position + 2),
                    length: try reader.u32Int(position + 4)
                )
                guard header.length <= end - position - 8 else { throw reader.truncated() }
                try body(header, position)
                position += 8 + header.length
            }
        }
    }
}
