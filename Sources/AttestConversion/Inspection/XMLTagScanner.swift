// Attest — certificates and documents you can verify. Apache-2.0.

/// Finds start tags and their attributes in an XML document without building a tree.
///
/// Enough for the few OOXML parts the pre-flight check reads (relationships, the slide list, a slide's `show`
/// flag); names are compared by local name, so namespace prefixes do not matter.
struct XMLTagScanner {
    /// A start (or empty-element) tag.
    struct Tag {
        var localName: String
        /// Attributes by local name (prefix dropped); for `r:id` the key is `id`, kept apart as `prefixedID`.
        var attributes: [String: String]
        /// The value of a prefixed `…:id` attribute (a relationship id), if any.
        var prefixedID: String?
    }

    let text: [UInt8]

    init(_ bytes: [UInt8]) {
        self.text = bytes
    }

    /// Calls `body` for each start tag in document order until it returns false.
    func forEachTag(_ body: (Tag) -> Bool) {
        let bytes = self.text
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            index += 1
            guard index < count else { return }
            let first = bytes[index]
            if first == UInt8(ascii: "/") || first == UInt8(ascii: "?") || first == UInt8(ascii: "!") {
                continue
            }
            // Element name.
            let nameStart = index
            while index < count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
                bytes[index] != UInt8(ascii: "/")
            {
                index += 1
            }
            let name = Self.localName(bytes[nameStart..<index])
            var tag = Tag(localName: name, attributes: [:], prefixedID: nil)
            // Attributes.
            while index < count {
                while index < count, Self.isSpace(bytes[index]) { index += 1 }
                guard index < count else { break }
                if bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "/") { break }
                let attributeStart = index
                while index < count, bytes[index] != UInt8(ascii: "="), !Self.isSpace(bytes[index]),
                    bytes[index] != UInt8(ascii: ">")
                {
                    index += 1
                }
                let rawName = bytes[attributeStart..<index]
                while index < count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "'"),
                    bytes[index] != UInt8(ascii: ">")
                {
                    index += 1
                }
                guard index < count, bytes[index] != UInt8(ascii: ">") else { break }
                let quote = bytes[index]
                index += 1
                let valueStart = index
                while index < count, bytes[index] != quote { index += 1 }
                let value = String(decoding: bytes[valueStart..<min(index, count)], as: UTF8.self)
                index += 1
                let local = Self.localName(rawName)
                if local == "id", rawName.contains(UInt8(ascii: ":")) {
                    tag.prefixedID = value
                } else {
                    tag.attributes[local] = value
                }
            }
            if !body(tag) { return }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func localName(_ raw: ArraySlice<UInt8>) -> String {
        if let colon = raw.lastIndex(of: UInt8(ascii: ":")) {
            return String(decoding: raw[(colon + 1)...], as: UTF8.self)
        }
        return String(decoding: raw, as: UTF8.self)
    }
}
