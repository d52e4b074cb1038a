// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One structured log line per answered request: method, route template (never the path, whose verification
/// code is a credential), status, bytes and duration. Headers, query strings and bodies are never logged.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let logger = context.logger
        guard logger.logLevel <= .debug else { return response }
        let elapsed = ContinuousClock.now - start
        logger.debug(
            "Answered request",
            metadata: [
                HTTPMetadataKey.method: "\(request.method.rawValue)",
                HTTPMetadataKey.route: "\(context.endpointPath ?? "unmatched")",
                HTTPMetadataKey.status: "\(response.status.code)",
                HTTPMetadataKey.bytes: "\(response.body.contentLength.map(String.init) ?? "streamed")",
                HTTPMetadataKey.durationMilliseconds: "\(Self.milliseconds(elapsed))",
            ]
        )
        return response
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) * 1_000 + Double(attoseconds) / 1e15)
    }
}
