// Attest — certificates and documents you can verify. Apache-2.0.

/// Adds the document language (`/Lang`) to the catalog of a PDF that Cairo wrote, which Cairo 1.16 cannot do.
///
/// Cairo writes the catalog as the last object, right before the cross-reference table, so inserting a key there
/// moves only the `startxref` offset. When the file does not have that shape the PDF is returned unchanged.
enum PDFCatalogEditor {
    static func addingLanguage(_ language: String, to pdf: [UInt8]) -> [UInt8] {
        guard
            language.utf8.allSatisfy({
                $0 == UInt8(ascii: "-")
                    || ($0 < 0x80 && ($0 >= 0x30 && $0 <= 0x39 || $0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A))
            }),
            let catalog = self.lastRange(of: Array("<< /Type /Catalog\n".utf8), in: pdf),
            let xref = self.lastRange(of: Array("\nxref\n".utf8), in: pdf), xref.lowerBound > catalog.upperBound,
            let startRange = self.lastRange(of: Array("startxref\n".utf8), in: pdf),
            startRange.lowerBound > xref.upperBound
        else { return pdf }
        var end = startRange.upperBound
        var offset = 0
        while end < pdf.count, pdf[end] >= 0x30, pdf[end] <= 0x39 {
            offset = offset * 10 + Int(pdf[end] - 0x30)
            end += 1
        }
        // The cross-reference table must start where startxref says, or the file is not what we expect.
        guard offset == xref.lowerBound + 1 else { return pdf }
        let insertion = Array("   /Lang (\(language))\n".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(pdf.count + insertion.count)
        output.append(contentsOf: pdf[..<catalog.upperBound])
        output.append(contentsOf: insertion)
        output.append(contentsOf: pdf[catalog.upperBound..<startRange.upperBound])
        output.append(contentsOf: Array(String(offset + insertion.count).utf8))
        output.append(contentsOf: pdf[end...])
        return output
    }

    private static func lastRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        // The catalog and the trailer are in the last few kilobytes.
        let lowest = max(0, haystack.count - 64 * 1024)
        var start = haystack.count - needle.count
        while start >= lowest {
            if haystack[start] == needle[0], haystack[start..<start + needle.count].elementsEqual(needle) {
                return start..<start + needle.count
            }
            start -= 1
        }
        return nil
    }
}
