// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Hummingbird

/// Whether a request gets JSON or HTML.
enum Negotiation {
    /// True for `/api/*`, `.json` paths, the check, `/metrics`-like machine routes, and clients whose `Accept`
    /// names `application/json` before (or without) `text/html`.
    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path.hasSuffix(".json") || path.hasSuffix("/check") || path == "/readyz"
            || path == "/healthz"
        {
            return true
        }
        return self.acceptsJSON(request)
    }

    /// `Accept` prefers `application/json` to `text/html`.
    static func acceptsJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        guard let json = accept.range(of: "application/json") else { return false }
        guard let html = accept.range(of: "text/html") else { return true }
        return json.lowerBound < html.lowerBound
    }
}
