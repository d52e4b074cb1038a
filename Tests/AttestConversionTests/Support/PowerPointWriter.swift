// Attest — certificates and documents you can verify. Apache-2.0.

/// Writes the two streams of a PowerPoint 97–2003 deck ([MS-PPT]) record by record, and the .ppt that holds them:
/// just what `PowerPointBinary` reads (edits, persist directory, slide list, slides).
enum PowerPointWriter {
    /// A record: version and instance, type, length, then `body`. Containers have version 0xF.
    static func record(_ type: UInt16, instance: UInt16 = 0, container: Bool = false, _ body: [UInt8]) -> [UInt8] {
        ZipWriter.u16(instance << 4 | (container ? 0xF : 0)) + ZipWriter.u16(type) + ZipWriter.u32(UInt32(body.count))
            + body
    }

    /// A PersistDirectoryAtom mapping persist ids `1...offsets.count` to `offsets`.
    static func persistDirectory(_ offsets: [Int]) -> [UInt8] {
        Self.record(
            0x1772, ZipWriter.u32(UInt32(offsets.count) << 20 | 1) + offsets.flatMap { ZipWriter.u32(UInt32($0)) })
    }

    /// A 28-byte UserEditAtom pointing at the previous edit and at its persist directory; the document is id 1.
    static func userEdit(previous: Int, directory: Int) -> [UInt8] {
        Self.record(
            0x0FF5,
            ZipWriter.u32(0) + ZipWriter.u16(0) + [0, 3] + ZipWriter.u32(UInt32(previous))
                + ZipWriter.u32(UInt32(directory)) + ZipWriter.u32(1) + ZipWriter.u32(2) + ZipWriter.u16(1)
                + ZipWriter.u16(0)
        )
    }

    /// A deck whose slide list names the slides `slideList` (indexes into `slides`, so a slide may be listed many
    /// times), each slide with `padding` empty child records before its show-info atom.
    static func document(slideList: [Int], slides: [Bool], padding: Int = 0) -> [UInt8] {
        let persistAtoms = slideList.map {
            Self.record(0x03F3, ZipWriter.u32(UInt32($0 + 2)) + [UInt8](repeating: 0, count: 16))
        }
        let slideList = Self.record(0x0FF0, container: true, persistAtoms.flatMap { $0 })
        var stream = Self.record(0x03E8, container: true, slideList)
        var offsets = [0]
        for hidden in slides {
            offsets.append(stream.count)
            let info = Self.record(
                0x03F9, [UInt8](repeating: 0, count: 10) + ZipWriter.u16(hidden ? 4 : 0) + [0, 0, 0, 0])
            let filler = [UInt8]((0..<padding).flatMap { _ in Self.record(0x0FA0, []) })
            stream += Self.record(0x03EE, container: true, filler + info)
        }
        let directory = stream.count
        stream += Self.persistDirectory(offsets)
        return stream + Self.userEdit(previous: 0, directory: directory)
    }

    /// The offset of the newest UserEditAtom in a stream made by `document` (its last record).
    static func lastEdit(of document: [UInt8]) -> Int { document.count - 36 }

    /// A .ppt holding `document` and a Current User stream that points at its edit `currentEdit`.
    static func file(document: [UInt8], currentEdit: Int) -> [UInt8] {
        var currentUser = Self.record(
            0x0FF6, ZipWriter.u32(20) + ZipWriter.u32(0xE391_C05F) + ZipWriter.u32(UInt32(currentEdit)))
        currentUser += [UInt8](repeating: 0, count: 4096 - currentUser.count)
        var padded = document
        padded += [UInt8](repeating: 0, count: max(0, 4096 - padded.count))
        return CompoundFileWriter.file(streams: [("Current User", currentUser), ("PowerPoint Document", padded)])
    }
}
