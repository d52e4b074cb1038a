// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Foundation

/// Completions in the database: submitting them (through `attest.submit_completion_detailed`) and reading them
/// back for rendering.
public struct CompletionRepository: Sendable {
    /// A stored completion, as the renderer needs it.
    public struct Record: Sendable {
        public var id: UUID
        public var externalID: String
        public var learnerID: String
        public var learnerName: String
        public var courseTitle: String
        public var organisation: String
        /// The completion's date in the offset it was submitted with: the date printed on the certificate.
        public var completedOn: Date
        public var score: Double?
        public var templateID: String?
        public var locale: String
        public var programTitle: String?
    }

    /// What submitting one completion did.
    public struct Submission: Sendable, Equatable {
        public var completionID: UUID
        /// False when the external id was already known: nothing changed.
        public var created: Bool
    }

    public init() {}

    /// Submits JSON documents in one statement (inside the caller's transaction, if any); one result each, in
    /// order. An invalid document fails the whole statement with SQLSTATE 22023 naming the field.
    public func submit(_ documents: [String], on connection: PGConnection) async throws -> [Submission] {
        guard !documents.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT s.completion_id, s.created
            FROM unnest($1::jsonb[]) WITH ORDINALITY AS input(document, position),
                 LATERAL attest.submit_completion_detailed(input.document) AS s
            ORDER BY input.position
            """,
            [PGArray(documents.map { PGJSON(text: $0) })]
        )
        return try rows.map { Submission(completionID: try $0.decode("completion_id"), created: try $0.decode("created")) }
    }

    /// The completions with these ids, in the same order; nil where none has the id. One statement.
    public func find(ids: [UUID], on connection: PGConnection) async throws -> [Record?] {
        let rows = try await connection.query(
            """
            SELECT id, external_id, learner_id, learner_name, course_title, organisation, completed_on, score,
                   template_id, locale, program_title
            FROM attest.completions WHERE id = ANY($1)
            """,
            [PGArray(ids)]
        )
        var found: [UUID: Record] = [:]
        for row in rows {
            let record = Record(
                id: try row.decode("id"),
                externalID: try row.decode("external_id"),
                learnerID: try row.decode("learner_id"),
                learnerName: try row.decode("learner_name"),
                courseTitle: try row.decode("course_title"),
                organisation: try row.decode("organisation"),
                completedOn: try row.decode("completed_on"),
                score: try row.decode("score"),
                templateID: try row.decode("template_id"),
                locale: try row.decode("locale"),
                programTitle: try row.decode("program_title")
            )
            found[record.id] = record
        }
        return ids.map { found[$0] }
    }
}
