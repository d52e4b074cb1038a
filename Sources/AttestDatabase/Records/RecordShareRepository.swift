// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore
public import AttestPQ

/// Share links of program records: creating one (the active one again if there is one), revoking, and finding
/// the active share behind a token. Revoked shares keep their rows: the table is the audit of every share and
/// revoke.
public struct RecordShareRepository: Sendable {
    static let columns = "token, learner_id, program_id, created_at, created_by, revoked_at, revoked_by"

    public init() {}

    /// The learner's active share of the program: the existing one (`created` false), or a new one with a fresh
    /// token. The program must exist.
    package func share(
        learnerID: String,
        programID: String,
        createdBy: String,
        on connection: PGConnection
    ) async throws -> (share: RecordShare, created: Bool) {
        // A concurrent revoke can remove the active share between the insert and the select: try again then.
        for _ in 0..<3 {
            let inserted = try await connection.query(
                """
                INSERT INTO attest.record_shares (token, learner_id, program_id, created_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (learner_id, program_id) WHERE revoked_at IS NULL DO NOTHING
                RETURNING \(Self.columns)
                """,
                [ShareToken.random().text, learnerID, programID, createdBy]
            )
            if let row = inserted.first { return (try Self.share(row), true) }
            if let existing = try await self.findActive(learnerID: learnerID, programID: programID, on: connection) {
                return (existing, false)
            }
        }
        throw PGError(.server, "the share of this record kept changing while it was created; try again")
    }

    /// Revokes an active share: its link answers 404 from now on. Returns the revoked share, or nil when no
    /// active share has this token.
    package func revoke(token: ShareToken, revokedBy: String, on connection: PGConnection) async throws -> RecordShare?
    {
        try await connection.query(
            """
            UPDATE attest.record_shares SET revoked_at = now(), revoked_by = $2
            WHERE token = $1 AND revoked_at IS NULL
            RETURNING \(Self.columns)
            """,
            [token.text, revokedBy]
        ).first.map(Self.share)
    }

    /// The active share with this token, or nil (unknown or revoked).
    package func findActive(token: ShareToken, on connection: PGConnection) async throws -> RecordShare? {
        try await connection.query(
            "SELECT \(Self.columns) FROM attest.record_shares WHERE token = $1 AND revoked_at IS NULL",
            [token.text]
        ).first.map(Self.share)
    }

    /// The learner's active share of the program, or nil.
    public func findActive(learnerID: String, programID: String, on connection: PGConnection) async throws
        -> RecordShare?
    {
        try await connection.query(
            """
            SELECT \(Self.columns) FROM attest.record_shares
            WHERE learner_id = $1 AND program_id = $2 AND revoked_at IS NULL
            """,
            [learnerID, programID]
        ).first.map(Self.share)
    }

    /// Every share of the learner's records, revoked ones included, oldest first: the audit trail.
    public func history(learnerID: String, on connection: PGConnection) async throws -> [RecordShare] {
        try await connection.query(
            "SELECT \(Self.columns) FROM attest.record_shares WHERE learner_id = $1 ORDER BY created_at, token",
            [learnerID]
        ).map(Self.share)
    }

    static func share(_ row: PGRow) throws -> RecordShare {
        RecordShare(
            token: try row.decode("token"),
            learnerID: try row.decode("learner_id"),
            programID: try row.decode("program_id"),
            createdAt: try row.decode("created_at"),
            createdBy: try row.decode("created_by"),
            revokedAt: try row.decode("revoked_at"),
            revokedBy: try row.decode("revoked_by")
        )
    }
}
