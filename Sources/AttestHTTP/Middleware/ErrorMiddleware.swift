// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import HTTPTypes
import Hummingbird
import Logging

/// Turns every failure into a safe answer: `ServerError`s as they are, Hummingbird's own (no route, body too
/// large) mapped to ours, and anything else into a generic 500 or 503 whose details go only to the log.
///
/// Pages get the HTML problem page; JSON routes and clients that ask for JSON get `{"error", "message"}`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageRenderer

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = self.serverError(for: error, logger: context.logger)
            return self.response(for: failure, request: request)
        }
    }

    private func serverError(for error: any Error, logger: Logger) -> ServerError {
        switch error {
        case let failure as ServerError:
            if let underlying = failure.underlying {
                logger.debug(
                    "Request failed",
                    metadata: [
                        HTTPMetadataKey.errorCode: "\(failure.code.rawValue)", HTTPMetadataKey.error: "\(underlying)",
                    ]
                )
            }
            return failure
        case let failure as any HTTPResponseError:
            switch failure.status {
            case .notFound: return .unknownCertificate
            case .contentTooLarge: return ServerError(.contentTooLarge, "The request body is too large for this route.")
            default: return ServerError(.badRequest, "The request could not be understood.")
            }
        case let failure as PGError
        where failure.isConnectionError || failure.code == .poolTimeout
            || failure.code == .poolClosed:
            logger.warning("Database unavailable", metadata: [HTTPMetadataKey.error: "\(failure)"])
            return ServerError(.unavailable, "The verification service cannot reach its database. Try again shortly.")
        default:
            logger.error("Request failed unexpectedly", metadata: [HTTPMetadataKey.error: "\(error)"])
            return ServerError(.internalError, "The verification service failed to answer. Try again shortly.")
        }
    }

    private func response(for failure: ServerError, request: Request) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if failure.code == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer"
        }
        if Negotiation.wantsJSON(request) {
            return Responses.json(ErrorBody(failure), status: failure.status, headers: headers)
        }
        return Responses.html(self.pages.problemPage(ProblemPage(failure)), status: failure.status, headers: headers)
    }
}

/// `{"error": code, "message": text}`, and `errors` for rejected completions (CONTRACT.md).
struct ErrorBody: Encodable {
    let error: String
    let message: String
    let errors: [ServerError.FieldProblem]?

    init(_ failure: ServerError) {
        self.error = failure.code.rawValue
        self.message = failure.message
        self.errors = failure.code == .invalidCompletions ? failure.problems : nil
    }
}
