// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `POST /api/completions`: one completion or an array, all or nothing.
///
/// Every element is validated before any is stored; if one is invalid the answer is `422` with every problem
/// found and nothing is accepted, so a client can fix its batch and send it again unchanged otherwise. Valid
/// batches are stored in one transaction through `attest.submit_completion_detailed`, the SQL function the
/// pipeline uses; should the function reject an element AttestCore accepted, each element is then re-checked
/// by the function alone (in rolled-back transactions) and its verdict is what the client gets.
struct CompletionRoutes {
    let server: AttestServer

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/completions") { request, context in
            try await self.submit(request, context: context)
        }
    }

    private func submit(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try BearerToken.authorize(request, token: self.server.configuration.apiToken)
        var request = request
        let body = try await request.collectBody(upTo: self.server.configuration.maximumCompletionBodyBytes)
        let elements = try self.elements(of: body)
        guard elements.count <= self.server.configuration.maximumCompletionsPerRequest else {
            let limit = self.server.configuration.maximumCompletionsPerRequest
            throw ServerError(.contentTooLarge, "At most \(limit) completions per request, not \(elements.count).")
        }
        var problems: [ServerError.FieldProblem] = []
        for (index, element) in elements.enumerated() {
            do {
                _ = try Completion(validating: element)
            } catch let error as CoreError {
                problems += error.problems.map {
                    ServerError.FieldProblem(index: index, field: $0.field, message: $0.message)
                }
            }
        }
        guard problems.isEmpty else {
            throw ServerError(
                .invalidCompletions, "Some completions are invalid; none was accepted.", problems: problems)
        }
        let documents = try elements.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let submissions = try await self.store(documents)
        let accepted = submissions.filter(\.created).map { $0.completionID.uuidString.lowercased() }
        context.logger.debug("Accepted completions", metadata: [HTTPMetadataKey.completions: "\(accepted.count)"])
        return Responses.json(
            SubmissionResult(accepted: accepted, duplicates: submissions.count - accepted.count),
            status: .accepted,
            headers: [.cacheControl: "no-store"]
        )
    }

    /// The submitted completions: the array's elements, or the single object.
    private func elements(of body: ByteBuffer) throws -> [JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
        } catch {
            throw ServerError(.badRequest, "The body is not JSON: send one completion object or an array of them.")
        }
        switch value {
        case .array(let elements): return elements
        case .object: return [value]
        default: throw ServerError(.badRequest, "The body must be one completion object or an array of them.")
        }
    }

    private func store(_ documents: [String]) async throws -> [CompletionRepository.Submission] {
        let repository = CompletionRepository()
        do {
            return try await self.server.pool.withConnection { connection in
                try await connection.transaction { connection in
                    try await repository.submit(documents, on: connection)
                }
            }
        } catch let error as PGError where error.sqlState == "22023" {
            let problems = try await self.server.pool.withConnection { connection in
                var problems: [ServerError.FieldProblem] = []
                for (index, document) in documents.enumerated() {
                    if let rejection = try await repository.rejection(of: document, on: connection) {
                        problems.append(.init(index: index, field: rejection.field, message: rejection.message))
                    }
                }
                return problems
            }
            guard !problems.isEmpty else { throw error }
            throw ServerError(
                .invalidCompletions, "Some completions are invalid; none was accepted.", problems: problems)
        }
    }
}

/// The answer of `POST /api/completions` (CONTRACT.md).
struct SubmissionResult: Encodable {
    /// Ids of the completions this request created, in request order.
    let accepted: [String]
    /// Elements whose `external_id` was already known (or repeated in the request): nothing changed for them.
    let duplicates: Int
}
