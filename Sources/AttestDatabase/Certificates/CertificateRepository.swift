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
    public struct Reservation: Sendable, Encodable {
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

        /// The columns of `attest.certificates`, for `jsonb_to_recordset`.
        enum CodingKeys: String, CodingKey {
            case id
            case completionID = "completion_id"
            case verificationCode = "verification_code"
            case learnerID = "learner_id"
            case learnerName = "learner_name"
            case courseTitle = "course_title"
            case organisation
            case issuedOn = "issued_on"
            case locale
            case score
            case programTitle = "program_title"
            case templateID = "template_id"
            case templateVersion = "template_version"
            case documentPath = "document_path"
        }

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
    public func reserve(_ reservation: Reservation, on connection: PGConnection) async throws -> CertificateRecord {
        try await self.reserve([reservation], on: connection)[0]
    }

    /// `reserve` for many completions in one statement and one commit: one certificate each, in the same order.
    ///
    /// Only when some completion already has a certificate does a second statement read those.
    public func reserve(_ reservations: [Reservation], on connection: PGConnection) async throws -> [CertificateRecord] {
        let inserted = try await connection.query(
            """
            INSERT INTO attest.certificates (
                id, completion_id, verification_code, learner_id, learner_name, course_title, organisation,
                issued_on, locale, score, program_title, template_id, template_version, document_path
            )
            SELECT id, completion_id, verification_code, learner_id, learner_name, course_title, organisation,
                   issued_on, locale, score, program_title, template_id, template_version, document_path
            FROM jsonb_to_recordset($1::jsonb) AS r(
                id uuid, completion_id uuid, verification_code text, learner_id text, learner_name text,
                course_title text, organisation text, issued_on date, locale text, score double precision,
                program_title text, template_id text, template_version integer, document_path text
            )
            ON CONFLICT (completion_id) DO NOTHING
            RETURNING \(Self.columns)
            """,
            [try PGJSON(encoding: reservations)]
        )
        var byCompletion: [UUID: CertificateRecord] = [:]
        for row in inserted {
            let record = try Self.record(row)
            byCompletion[record.completionID] = record
        }
        let missing = reservations.map(\.completionID).filter { byCompletion[$0] == nil }
        if !missing.isEmpty {
            let existing = try await connection.query(
                "SELECT \(Self.columns) FROM attest.certificates WHERE completion_id = ANY($1)",
                [PGArray(missing)]
            )
            for row in existing {
                let record = try Self.record(row)
                byCompletion[record.completionID] = record
            }
        }
        return try reservations.map { reservation in
            guard let record = byCompletion[reservation.completionID] else {
                throw PGError(.server, "the certificate of completion \(reservation.completionID) vanished after it was reserved")
            }
            return record
        }
    }

    /// A stored document to record on its pending certificate.
    public struct Issue: Sendable {
        public var certificateID: UUID
        public var sha256: String
        public var bytes: Int

        public init(certificateID: UUID, sha256: String, bytes: Int) {
            self.certificateID = certificateID
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    /// Marks a pending certificate issued, with its stored document. Returns false if it was not pending.
    @discardableResult
    public func markIssued(id: UUID, sha256: String, bytes: Int, on connection: PGConnection) async throws -> Bool {
        try await self.markIssued([Issue(certificateID: id, sha256: sha256, bytes: bytes)], on: connection)[0]
    }

    /// Marks pending certificates issued in one statement; for each, in order, whether it was pending.
    ///
    /// Committed with `synchronous_commit = off`, so the worker does not wait for a WAL flush here: the job's
    /// outcome, written afterwards with a synchronous commit, flushes the WAL up to and past this change. A crash
    /// before that loses both together; the job then runs again, finds the row pending and issues it again,
    /// with the same bytes at the same path. One statement: `set_config(…, true)` in its CTE applies to the
    /// statement's own implicit transaction, commit included, as `SET LOCAL` in a `BEGIN … COMMIT` block would.
    public func markIssued(_ issues: [Issue], on connection: PGConnection) async throws -> [Bool] {
        let rows = try await connection.query(
            """
            WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
            UPDATE attest.certificates c
            SET status = 'issued', issued_at = now(), document_sha256 = d.sha256, document_bytes = d.bytes
            FROM relaxed, unnest($1::uuid[], $2::text[], $3::bigint[]) AS d(id, sha256, bytes)
            WHERE c.id = d.id AND c.status = 'pending'
            RETURNING c.id
            """,
            [PGArray(issues.map(\.certificateID)), PGArray(issues.map(\.sha256)), PGArray(issues.map(\.bytes))]
        )
        let issued = Set(try rows.map { try $0.decode("id", as: UUID.self) })
        return issues.map { issued.contains($0.certificateID) }
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
