// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Helpers for libpq connection strings that must be shown to people without their password.
public enum ConnectionString {
    /// The string with any password replaced by `***`, in URI (`postgres://u:secret@h/db`) and keyword
    /// (`password=secret`) forms alike.
    public static func redacted(_ conninfo: String) -> String {
        var text = conninfo
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") {
            let userInfo = text[scheme.upperBound..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        for key in ["password=", "sslpassword="] {
            var searchStart = text.startIndex
            while let range = text.range(of: key, options: .caseInsensitive, range: searchStart..<text.endIndex) {
                let valueEnd = Self.endOfKeywordValue(in: text, from: range.upperBound)
                text.replaceSubrange(range.upperBound..<valueEnd, with: "***")
                searchStart = text.index(range.upperBound, offsetBy: 3, limitedBy: text.endIndex) ?? text.endIndex
            }
        }
        return text
    }

    /// The end of a keyword value: a quoted value ends at its closing quote, a bare one at whitespace or `&`.
    private static func endOfKeywordValue(in text: String, from start: String.Index) -> String.Index {
        var index = start
        if index < text.endIndex, text[index] == "'" {
            index = text.index(after: index)
            while index < text.endIndex, text[index] != "'" {
                if text[index] == "\\" { index = text.index(after: index) }
                if index < text.endIndex { index = text.index(after: index) }
            }
            return index < text.endIndex ? text.index(after: index) : index
        }
        while index < text.endIndex, !text[index].isWhitespace, text[index] != "&" {
            index = text.index(after: index)
        }
        return index
    }
}
