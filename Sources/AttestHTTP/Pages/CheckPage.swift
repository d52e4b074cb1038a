// Attest — certificates and documents you can verify. Apache-2.0.

import Mustache

/// The page answering a PDF checked from the verification page's form.
struct CheckPage: PageContent {
    let title: String
    let matched: Bool
    let verdictClass: String
    let verdictMark: String
    let heading: String
    let detail: String
    let pagePath: String

    init(matched: Bool, code: String) {
        self.matched = matched
        self.verdictClass = matched ? "valid" : "revoked"
        self.verdictMark = matched ? "✓" : "✕"
        self.heading = matched ? "Identical to the issued file" : "Not the issued file"
        self.detail =
            matched
            ? "The file you sent is byte for byte the PDF issued with this certificate."
            : "The file you sent differs from the PDF issued with this certificate: it may have been altered, "
                + "or it belongs to another certificate."
        self.title = self.heading
        self.pagePath = "/v/\(code)"
    }

    func child(named name: String) -> Any? {
        switch name {
        case "matched": self.matched
        case "verdictClass": self.verdictClass
        case "verdictMark": self.verdictMark
        case "heading": self.heading
        case "detail": self.detail
        case "pagePath": self.pagePath
        default: nil
        }
    }
}
