// Attest — certificates and documents you can verify. Apache-2.0.

public import Hummingbird

/// Every failure `AttestHTTP` answers with: a status, a stable code and a message that is safe to show to anyone
/// (never SQL, a path or a stack trace; the underlying error is only logged).
public struct ServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as clients see it in the `error` field.
    public enum Code: String, Sendable {
        /// No certificate has this code, or the code is malformed (the same answer for both).
        case notFound = "not_found"
        /// The route exists but nothing is served there any more (a purged document).
        case gone
        /// `Authorization: Bearer` is missing or wrong.
        case unauthorized
        /// The API is off because `ATTEST_API_TOKEN` is unset.
        case apiDisabled = "api_disabled"
        /// The request body is larger than the route accepts.
        case contentTooLarge = "content_too_large"
        /// The body is not what the route accepts (malformed JSON, wrong shape).
        case badRequest = "bad_request"
        /// One or more completions broke the contract; nothing was accepted.
        case invalidCompletions = "invalid_completions"
        /// The database cannot be reached or is not migrated.
        case unavailable
        /// Anything unexpected; details are in the server log.
        case internalError = "internal_error"
        /// The server's configuration cannot work (raised at startup, never sent to a client).
        case invalidConfiguration = "invalid_configuration"
    }

    /// One rejected field of one submitted completion.
    public struct FieldProblem: Sendable, Equatable, Encodable {
        /// Position in the submitted array (0 for a single object).
        public var index: Int
        public var field: String
        public var message: String

        public init(index: Int, field: String, message: String) {
            self.index = index
            self.field = field
            self.message = message
        }
    }

    public var code: Code
    /// One sentence for the client; safe to show publicly.
    public var message: String
    /// For `invalidCompletions`: every problem found.
    public var problems: [FieldProblem]
    public var underlying: (any Error)?
    public var file: String
    public var line: Int

    public init(
        _ code: Code,
        _ message: String,
        problems: [FieldProblem] = [],
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.problems = problems
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The HTTP status this failure is answered with.
    public var status: HTTPResponse.Status {
        switch self.code {
        case .notFound, .apiDisabled: .notFound
        case .gone: .gone
        case .unauthorized: .unauthorized
        case .contentTooLarge: .contentTooLarge
        case .badRequest: .badRequest
        case .invalidCompletions: .unprocessableContent
        case .unavailable: .serviceUnavailable
        case .internalError, .invalidConfiguration: .internalServerError
        }
    }

    public var description: String { self.message }

    /// The answer when no certificate has the code, or the code is malformed: the same for both.
    static let unknownCertificate = ServerError(.notFound, "No certificate has this verification code.")
}
