// Attest — certificates and documents you can verify. Apache-2.0.

import Crypto
import Foundation
import Hummingbird

/// Strong `ETag` values and the `If-None-Match` check, so phones and proxies revalidate instead of downloading.
enum EntityTag {
    /// Bumped whenever the page's markup changes, so cached pages from an older build are not reused.
    static let markupVersion = "1"

    /// A quoted strong tag derived from `text` (and the markup version).
    static func strong(for text: String) -> String {
        let digest = SHA256.hash(data: Array((Self.markupVersion + "|" + text).utf8))
        return "\"" + digest.prefix(12).map { Self.hex($0) }.joined() + "\""
    }

    /// A quoted tag for a stored document: its SHA-256.
    static func document(sha256: String) -> String {
        "\"" + sha256 + "\""
    }

    /// True when the request's `If-None-Match` lists `tag` (or `*`).
    static func matches(_ request: Request, tag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        for candidate in header.split(separator: ",") {
            var value = candidate.trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("W/") { value.removeFirst(2) }
            if value == "*" || value == tag { return true }
        }
        return false
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
