// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// What the pre-flight check learned about an input before LibreOffice sees it.
struct DeckInspection: Sendable {
    /// The format told from the magic bytes and the package structure.
    var format: DeckFormat
    /// The whole file, read once: the copy LibreOffice gets is the copy that was checked.
    var bytes: [UInt8]
    /// Slides in the deck, hidden included.
    var slides: Int
    /// Slides that are not hidden: the number of pages the PDF must have.
    var visibleSlides: Int
}

/// Pre-flight checks: type from magic bytes, size cap, zip-bomb limits, encryption, and the visible slide count.
struct DeckInspector: Sendable {
    /// Limits the checks enforce.
    struct Limits: Sendable {
        var maxInputBytes: Int
        var maxZipMembers: Int
        var maxUncompressedBytes: UInt64
        var maxCompressionRatio: UInt64
    }

    let limits: Limits

    /// Reads and checks the file at `url`.
    func inspect(_ url: URL) throws -> DeckInspection {
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let data = try handle.read(upToCount: self.limits.maxInputBytes + 1) ?? Data()
            bytes = [UInt8](data)
        } catch {
            throw ConversionError(.unreadableInput, "the input file cannot be read", underlying: error)
        }
        return try self.inspect(bytes: bytes)
    }

    /// Checks bytes already in memory.
    func inspect(bytes: [UInt8]) throws -> DeckInspection {
        if bytes.isEmpty {
            throw ConversionError(.emptyInput, "the input file is empty")
        }
        if bytes.count > self.limits.maxInputBytes {
            throw ConversionError(
                .inputTooLarge,
                "the input is larger than the \(self.limits.maxInputBytes / 1_048_576) MiB limit"
            )
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return try self.inspectCompound(bytes)
        }
        if bytes.starts(with: [0x50, 0x4B]) {
            return try self.inspectPackage(bytes)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ConversionError(.damagedInput, "the .ppt file is truncated or corrupt")
        }
        throw ConversionError(
            .unsupportedType,
            "the input is not a PowerPoint presentation (neither an OLE .ppt nor a zip .pptx by its content)"
        )
    }

    // MARK: - PowerPoint 97–2003

    private func inspectCompound(_ bytes: [UInt8]) throws -> DeckInspection {
        let file = try CompoundFile(bytes: bytes)
        if file.contains("EncryptedPackage") || file.contains("EncryptionInfo") {
            throw ConversionError(.passwordProtected, "the presentation is password-protected (encrypted .pptx)")
        }
        let deck = try PowerPointBinary(file: file)
        return try self.result(format: .ppt, bytes: bytes, hidden: deck.hiddenFlags)
    }

    // MARK: - OOXML

    private func inspectPackage(_ bytes: [UInt8]) throws -> DeckInspection {
        let archive = try ZipArchive(bytes: bytes)
        if archive.members.count > self.limits.maxZipMembers {
            throw ConversionError(
                .zipBomb,
                "the package has \(archive.members.count) members (limit \(self.limits.maxZipMembers))"
            )
        }
        var total: UInt64 = 0
        var totalCompressed: UInt64 = 0
        for member in archive.members {
            if member.flags & 0x0001 != 0 {
                throw ConversionError(.passwordProtected, "the package's members are encrypted")
            }
            // Declared sizes are up to 2^64 - 1: compare before adding, so the sum cannot overflow.
            guard member.uncompressedSize <= self.limits.maxUncompressedBytes - total else {
                throw ConversionError(
                    .zipBomb,
                    "the package inflates to more than \(self.limits.maxUncompressedBytes / 1_048_576) MiB"
                )
            }
            total += member.uncompressedSize
            // Cannot overflow: each compressed size is at most the file's size (the archive checked), a file in
            // memory is far below 2^48 bytes, and there are fewer than 2^16 members.
            totalCompressed += member.compressedSize
            if member.uncompressedSize > 1_048_576,
                member.uncompressedSize / max(member.compressedSize, 1) > self.limits.maxCompressionRatio
            {
                throw ConversionError(
                    .zipBomb,
                    "a package member is compressed more than \(self.limits.maxCompressionRatio):1"
                )
            }
        }
        if total > 16 * 1_048_576, total / max(totalCompressed, 1) > self.limits.maxCompressionRatio {
            throw ConversionError(.zipBomb, "the package is compressed more than \(self.limits.maxCompressionRatio):1")
        }

        guard let contentTypes = archive.member(named: "[Content_Types].xml") else {
            throw ConversionError(.unsupportedType, "the zip file is not an OOXML package")
        }
        let types = String(decoding: try Self.xmlPart(of: archive, contentTypes), as: UTF8.self)
        guard types.contains("presentationml") || types.contains("ms-powerpoint") else {
            throw ConversionError(.unsupportedType, "the package is an Office document but not a presentation")
        }

        // The main part: _rels/.rels names it (normally ppt/presentation.xml).
        var mainPart = "ppt/presentation.xml"
        if let rootRels = archive.member(named: "_rels/.rels") {
            XMLTagScanner(try Self.xmlPart(of: archive, rootRels)).forEachTag { tag in
                if tag.localName == "Relationship", tag.attributes["Type"]?.hasSuffix("/officeDocument") == true,
                    let target = tag.attributes["Target"]
                {
                    mainPart = target.hasPrefix("/") ? String(target.dropFirst()) : target
                    return false
                }
                return true
            }
        }
        guard let presentation = archive.member(named: mainPart) else {
            throw ConversionError(.damagedInput, "the package has no presentation part")
        }
        let directory = mainPart.split(separator: "/").dropLast().joined(separator: "/")
        let relsName =
            (directory.isEmpty ? "" : directory + "/") + "_rels/"
            + (mainPart.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        var targets: [String: String] = [:]
        if let rels = archive.member(named: relsName) {
            XMLTagScanner(try Self.xmlPart(of: archive, rels)).forEachTag { tag in
                if tag.localName == "Relationship", let id = tag.attributes["Id"], let target = tag.attributes["Target"]
                {
                    targets[id] = target
                }
                return true
            }
        }
        var slideParts: [String] = []
        var inList = false
        XMLTagScanner(try Self.xmlPart(of: archive, presentation)).forEachTag { tag in
            if tag.localName == "sldIdLst" { inList = true }
            if inList, tag.localName == "sldId", let id = tag.prefixedID {
                slideParts.append(Self.resolve(targets[id] ?? "", relativeTo: directory))
            }
            // Elements after the slide list end it.
            if inList, tag.localName == "sldSz" || tag.localName == "notesSz" { return false }
            return true
        }
        let hidden = try Self.hiddenFlags(of: slideParts) { part in
            guard let member = archive.member(named: part) else {
                throw ConversionError(.damagedInput, "the package lists a slide it does not contain")
            }
            return try Self.xmlPart(of: archive, member)
        }
        return try self.result(format: .pptx, bytes: bytes, hidden: hidden)
    }

    /// Whether each listed slide is hidden, in list order; `read` gives a slide part's XML and is called once per
    /// distinct part, however often the list repeats it.
    static func hiddenFlags(of slideParts: [String], read: (String) throws -> [UInt8]) throws -> [Bool] {
        var hiddenByPart: [String: Bool] = [:]
        var hidden: [Bool] = []
        hidden.reserveCapacity(slideParts.count)
        for part in slideParts {
            if let known = hiddenByPart[part] {
                hidden.append(known)
                continue
            }
            var isHidden = false
            XMLTagScanner(try read(part)).forEachTag { tag in
                if tag.localName == "sld" {
                    let show = tag.attributes["show"]
                    isHidden = show == "0" || show == "false"
                    return false
                }
                return true
            }
            hiddenByPart[part] = isHidden
            hidden.append(isHidden)
        }
        return hidden
    }

    /// Largest XML part the check inflates (content types, relationships, the presentation, a slide): real ones are
    /// kilobytes to a few MiB, and the zip-bomb limits alone would let one part fill 1 GiB of this process.
    static let maxInspectedPartBytes: UInt64 = 32 << 20

    private static func xmlPart(of archive: ZipArchive, _ member: ZipArchive.Member) throws -> [UInt8] {
        guard member.uncompressedSize <= Self.maxInspectedPartBytes else {
            throw ConversionError(
                .zipBomb,
                "an XML part the pre-flight check reads (content types, relationships, presentation or slide) "
                    + "is larger than \(Self.maxInspectedPartBytes / 1_048_576) MiB"
            )
        }
        return try archive.contents(of: member)
    }

    private func result(format: DeckFormat, bytes: [UInt8], hidden: [Bool]) throws -> DeckInspection {
        if hidden.isEmpty {
            throw ConversionError(.noSlides, "the presentation has no slides")
        }
        let visible = hidden.filter { !$0 }.count
        if visible == 0 {
            throw ConversionError(.noSlides, "all \(hidden.count) slides of the presentation are hidden")
        }
        return DeckInspection(format: format, bytes: bytes, slides: hidden.count, visibleSlides: visible)
    }

    /// Resolves a relationship target against the folder of the part that holds the relationship.
    static func resolve(_ target: String, relativeTo directory: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = directory.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." {
                _ = parts.popLast()
            } else if piece != "." {
                parts.append(String(piece))
            }
        }
        return parts.joined(separator: "/")
    }
}
