// Attest — certificates and documents you can verify. Apache-2.0.

package import Foundation

/// The rules every completion field obeys, in one place so the SQL function, the HTTP API and `attest enqueue` agree.
///
/// Lengths count Unicode code points after trimming white space, as PostgreSQL's `char_length` does.
package enum CompletionRules {
    /// `external_id`, `learner_id`, `course_id`, `program_id`: 1–200 code points.
    package static let identifierLength = 1...200
    /// `learner_name`: 1–300 code points.
    package static let learnerNameLength = 1...300
    /// `course_title`, `organisation`, `program_title`: 1–300 code points (the contract sets no limit; a
    /// certificate cannot print more).
    package static let titleLength = 1...300
    /// `locale`: a BCP 47 tag of at most 35 characters.
    package static let localeLength = 2...35
    /// `score`: a fraction.
    package static let scoreRange = 0.0...1.0
    /// `locale` when absent.
    package static let defaultLocale = "en"

    /// Why `text` cannot be printed or stored, or nil when it can: control characters (Cc), line and paragraph
    /// separators, non-characters, and U+FFFD (the sign of text decoded with the wrong encoding).
    package static func unprintableCharacter(in text: String) -> String? {
        // Fast path: printable ASCII (most names) needs no Unicode property lookups.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            let reason: String?
            switch scalar.properties.generalCategory {
            case .control: reason = "a control character"
            case .lineSeparator, .paragraphSeparator: reason = "a line break"
            case .surrogate: reason = "a lone surrogate"
            default:
                if scalar.properties.isNoncharacterCodePoint {
                    reason = "a non-character"
                } else if scalar == "\u{FFFD}" {
                    reason = "the replacement character (was the text decoded with the wrong encoding?)"
                } else {
                    reason = nil
                }
            }
            if let reason {
                return "contains \(reason) U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)) "
                    + "at position \(offset + 1)"
            }
        }
        return nil
    }

    /// Whether `text` is a usable template id: 1–64 of `a-z`, `0-9`, `-`, `_`, starting with a letter or digit.
    /// Template ids name folders, so this also keeps them from naming a path.
    package static func isTemplateID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// Whether `text` has the shape of a BCP 47 tag: `en`, `pt-BR`, `zh-Hant-TW`, `sr-Latn`.
    package static func isLanguageTag(_ text: String) -> Bool {
        guard self.localeLength.contains(text.utf8.count) else { return false }
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = subtags.first, (2...8).contains(language.count),
            language.utf8.allSatisfy({ isASCIILetter($0) })
        else { return false }
        return subtags.dropFirst().allSatisfy { subtag in
            (1...8).contains(subtag.count) && subtag.utf8.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) }
        }
    }

    /// Trims white space at both ends and normalises to NFC, so equal names are stored and printed the same way.
    package static func normalised(_ text: String) -> String {
        // Fast path: ASCII is already NFC; only spaces can need trimming.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            guard text.utf8.first == 0x20 || text.utf8.last == 0x20 else { return text }
            return String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isASCIIDigit(byte)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
