// Attest — certificates and documents you can verify. Apache-2.0.

import HTTPTypes
import Hummingbird

/// Adds the security headers to every answer, errors included: a Content-Security-Policy that allows only the
/// page's own inline stylesheet (no script at all), no MIME sniffing, no framing, no referrer leaving the site.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let contentSecurityPolicy: String

    /// - Parameter styleSource: the `'sha256-…'` source of the inline stylesheet.
    init(styleSource: String) {
        self.contentSecurityPolicy =
            "default-src 'none'; style-src \(styleSource); img-src 'self' data:; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'"
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}
