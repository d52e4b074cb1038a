// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Foundation

/// Certificates in the database: reserving one per completion, issuing, looking up, revoking.
public struct CertificateRepository: Sendable {
    static let columns = """
        id, completion_id, verification_code, learner_id, learner_name, course_title, organisation, issued_on, locale,
        score, program_title, template_id, template_version, status::text AS status, revoked_at, revocation_reason,
        document_path, document_sha256, document_bytes, document_purged_at, created_at, issued_at
        """

    /// The printed values and identity of a certificate about to be rendered.
    public struct Reservation: Sendable {
        public var id: UUID
        public var completionID: UUID
        public var verificationCode: String
        public var learnerID: String
        public var learnerName: String
        public var courseTitle: String
        public var organisation: String
        /// `YYYY-MM-DD`.
        public var issuedOn: String
        public var locale: String
        public var score: Double?
        public var programTitle: String?
        public var templateID: String
        public var templateVersion: Int
        public var documentPath: String

        public init(
            id: UUID, completionID: UUID, verificationCode: String, learnerID: String, learnerName: String,
            courseTitle: String, organisation: String, issuedOn: String, locale: String, score: Double?,
            programTitle: String?, templateID: String, templateVersion: Int, documentPath: String
        ) {
            self.id = id
            self.completionID = completionID
            self.verificationCode = verificationCode
            self.learnerID = learnerID
            self.learnerName = learnerName
            self.courseTitle = courseTitle
            self.organisation = organisation
            self.issuedOn = issuedOn
            self.locale = locale
            self.score = score
            self.programTitle = programTitle
            self.templateID = templateID
            self.templateVersion = templateVersion
            self.documentPath = documentPath
        }
    }

    public init() {}

    /// The completion's certificate: the existing row if there is one (a retry reuses its id, code and printed
    /// values), otherwise `reservation` inserted as a pending row.
    ///
    /// A first attempt costs one statement (the insert returns the new row); only when the completion already
    /// has a certificate does a second one read it.
    public func reserve(_ reservation: Reservation, on connection: PGConnection) async throws -> CertificateRecord {
        let inserted = try await connection.query(
            """
            INSERT INTO attest.certificates (
                id, completion_id, verification_code, learner_id, learner_name, course_title, organisation,
                issued_on, locale, score, program_title, template_id, template_version, document_path
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (completion_id) DO NOTHING
            RETURNING \(Self.columns)
            """,
            [
                reservation.id, reservation.completionID, reservation.verificationCode, reservation.learnerID,
                reservation.learnerName, reservation.courseTitle, reservation.organisation,
                reservation.issuedOn, reservation.locale, reservation.score, reservation.programTitle,
                reservation.templateID, reservation.templateVersion, reservation.documentPath,
            ]
        )
        if let row = inserted.first { return try Self.record(row) }
        guard let record = try await self.find(completionID: reservation.completionID, on: connection) else {
            throw PGError(.server, "the certificate of completion \(reservation.completionID) vanished after it was reserved")
        }
        return record
    }

    /// Marks a pending certificate issued, with its stored document. Returns false if it was not pending.
    ///
    /// Committed with `synchronous_commit = off`, so the worker does not wait for a WAL flush here: the job's
    /// outcome, written afterwards with a synchronous commit, flushes the WAL up to and past this change. A crash
    /// before that loses both together; the job then runs again, finds the row pending and issues it again,
    /// with the same bytes at the same path. One statement: `set_config(…, true)` in its CTE applies to the
    /// statement's own implicit transaction, commit included, as `SET LOCAL` in a `BEGIN … COMMIT` block would.
    @discardableResult
    public func markIssued(id: UUID, sha256: String, bytes: Int, on connection: PGConnection) async throws -> Bool {
        try await connection.query(
            """
            WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
            UPDATE attest.certificates SET status = 'issued', issued_at = now(), document_sha256 = $2, document_bytes = $3
            FROM relaxed
            WHERE id = $1 AND status = 'pending'
            """,
            [id, sha256, bytes]
        ).affectedRows == 1
    }

    public func find(completionID: UUID, on connection: PGConnection) async throws -> CertificateRecord? {
        try await connection.query(
            "SELECT \(Self.columns) FROM attest.certificates WHERE completion_id = $1",
            [completionID]
        ).first.map(Self.record)
    }

    /// The certificate with this code, pending ones included (callers decide what to show).
    public func find(code: String, on connection: PGConnection) async throws -> CertificateRecord? {
        try await connection.query(
            "SELECT \(Self.columns) FROM attest.certificates WHERE verification_code = upper($1)",
            [code]
        ).first.map(Self.record)
    }

    /// A learner's certificates, newest first.
    public func list(learnerID: String, on connection: PGConnection) async throws -> [CertificateRecord] {
        try await connection.query(
            "SELECT \(Self.columns) FROM attest.certificates WHERE learner_id = $1 ORDER BY created_at DESC, id",
            [learnerID]
        ).map(Self.record)
    }

    /// The certificates of the completions with these external ids, with each one's external id, in that order.
    public func list(
        externalIDs: [String],
        on connection: PGConnection
    ) async throws -> [(externalID: String, certificate: CertificateRecord)] {
        let rows = try await connection.query(
            """
            SELECT input.external_id AS external_id, \(Self.columns.replacingOccurrences(of: "\n", with: " ")
                .split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM unnest($1::text[]) WITH ORDINALITY AS input(external_id, position)
            JOIN attest.completions completion ON completion.external_id = input.external_id
            JOIN attest.certificates c ON c.completion_id = completion.id
            ORDER BY input.position
            """,
            [PGArray(externalIDs)]
        )
        return try rows.map { (try $0.decode("external_id"), try Self.record($0)) }
    }

    /// Revokes an issued certificate; the row and its file stay. Returns the updated row, or nil if no issued
    /// certificate has that code.
    public func revoke(code: String, reason: String, on connection: PGConnection) async throws -> CertificateRecord? {
        try await connection.query(
            """
            UPDATE attest.certificates SET status = 'revoked', revoked_at = now(), revocation_reason = $2
            WHERE verification_code = upper($1) AND status = 'issued'
            RETURNING \(Self.columns)
            """,
            [code, reason]
        ).first.map(Self.record)
    }

    static func record(_ row: PGRow) throws -> CertificateRecord {
        CertificateRecord(
            id: try row.decode("id"),
            completionID: try row.decode("completion_id"),
            verificationCode: try row.decode("verification_code"),
            learnerID: try row.decode("learner_id"),
            learnerName: try row.decode("learner_name"),
            courseTitle: try row.decode("course_title"),
            organisation: try row.decode("organisation"),
            issuedOn: try row.decode("issued_on"),
            locale: try row.decode("locale"),
            score: try row.decode("score"),
            programTitle: try row.decode("program_title"),
            templateID: try row.decode("template_id"),
            templateVersion: try row.decode("template_version"),
            status: CertificateRecord.Status(rawValue: try row.decode("status")) ?? .pending,
            revokedAt: try row.decode("revoked_at"),
            revocationReason: try row.decode("revocation_reason"),
            documentPath: try row.decode("document_path"),
            documentSHA256: try row.decode("document_sha256"),
            documentBytes: try row.decode("document_bytes"),
            documentPurgedAt: try row.decode("document_purged_at"),
            createdAt: try row.decode("created_at"),
            issuedAt: try row.decode("issued_at")
        )
    }
}
