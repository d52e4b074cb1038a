// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Hummingbird

/// Whether a request gets JSON or HTML.
enum Negotiation {
    /// True for `/api/*`, `.json` paths, checks sent by scripts (not from the page's form), the health routes,
    /// and clients whose `Accept` names `application/json` before (or without) `text/html`.
    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path.hasSuffix(".json") || path == "/readyz" || path == "/healthz" {
            return true
        }
        if path.hasSuffix("/check") && !self.isFormUpload(request) {
            return true
        }
        return self.acceptsJSON(request)
    }

    /// The body comes from an HTML form (`multipart/form-data`).
    static func isFormUpload(_ request: Request) -> Bool {
        request.headers[.contentType].map { MultipartFile.boundary(in: $0) != nil } ?? false
    }

    /// `Accept` prefers `application/json` to `text/html`.
    static func acceptsJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        guard let json = accept.range(of: "application/json") else { return false }
        guard let html = accept.range(of: "text/html") else { return true }
        return json.lowerBound < html.lowerBound
    }
}
