// Attest — certificates and documents you can verify. Apache-2.0.

/// Judges LibreOffice's output by itself: a complete PDF and how many pages it has.
enum PDFInspector {
    /// The page count of a complete PDF; throws `invalidOutput` when the file is not one.
    static func pageCount(of bytes: [UInt8]) throws -> Int {
        guard bytes.starts(with: Array("%PDF-".utf8)) else {
            throw ConversionError(.invalidOutput, "LibreOffice did not write a PDF (no %PDF- header)")
        }
        var end = bytes.count
        while end > 0, [0x0A, 0x0D, 0x20, 0x09, 0x00].contains(bytes[end - 1]) { end -= 1 }
        let marker = Array("%%EOF".utf8)
        guard end >= marker.count, Array(bytes[(end - marker.count)..<end]) == marker else {
            throw ConversionError(.invalidOutput, "LibreOffice wrote an incomplete PDF (no %%EOF trailer)")
        }
        // Count page objects: "/Type" optional whitespace "/Page" not followed by a name character ("/Pages").
        let type = Array("/Type".utf8)
        let page = Array("/Page".utf8)
        var pages = 0
        var index = 0
        let count = bytes.count
        while index + type.count < count {
            if bytes[index] == 0x2F, bytes[index + 1] == 0x54, bytes[index..<(index + type.count)].elementsEqual(type) {
                var cursor = index + type.count
                while cursor < count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[cursor]) { cursor += 1 }
                if cursor + page.count <= count, bytes[cursor..<(cursor + page.count)].elementsEqual(page) {
                    let next = cursor + page.count
                    if next >= count || !Self.isNameCharacter(bytes[next]) { pages += 1 }
                }
                index = cursor
            } else {
                index += 1
            }
        }
        return pages
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
