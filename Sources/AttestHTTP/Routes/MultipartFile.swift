// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// The file of an HTML form upload (`multipart/form-data`), so a verifier can check a PDF from the page
/// itself, without a command line.
enum MultipartFile {
    /// The content of the first part that carries a file, or nil when the body holds none or is malformed.
    static func first(in body: [UInt8], contentType: String) -> [UInt8]? {
        guard let boundary = self.boundary(in: contentType) else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        let closing = Array("\r\n--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        guard var position = body.firstRange(of: delimiter)?.upperBound else { return nil }
        while !body[position...].starts(with: Array("--".utf8)) {
            guard let headers = body[position...].firstRange(of: headerEnd),
                let end = body[headers.upperBound...].firstRange(of: closing)
            else { return nil }
            let text = String(decoding: body[position..<headers.lowerBound], as: UTF8.self).lowercased()
            if text.contains("filename=") {
                return Array(body[headers.upperBound..<end.lowerBound])
            }
            position = end.upperBound
        }
        return nil
    }

    /// The `boundary` parameter of a `multipart/form-data` content type (RFC 2046: 1 to 70 characters).
    static func boundary(in contentType: String) -> String? {
        let parts = contentType.split(separator: ";")
        guard parts.first?.trimmingCharacters(in: .whitespaces).lowercased() == "multipart/form-data" else {
            return nil
        }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }
}
