// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Foundation

/// What the verification server shows about a certificate: the columns of its row that a verifier sees (the
/// hot path of `GET /v/{code}`).
public struct CertificateVerification: Sendable, Equatable {
    public var id: UUID
    public var verificationCode: String
    /// `issued` or `revoked`; pending rows are never returned.
    public var status: CertificateRecord.Status
    public var learnerName: String
    public var courseTitle: String
    public var organisation: String
    public var programTitle: String?
    /// `YYYY-MM-DD`, as printed.
    public var issuedOn: String
    public var revokedAt: Date?
    public var revocationReason: String?
    /// Relative to the storage root; nil once purged.
    public var documentPath: String?
    public var documentSHA256: String?
    public var documentBytes: Int?
    public var documentPurgedAt: Date?
}

extension CertificateRepository {
    /// The issued or revoked certificates with these codes (upper case, as `VerificationCode` writes them), by
    /// code, in one indexed query; unknown and pending codes are absent.
    public func verifications(
        codes: [String],
        on connection: PGConnection
    ) async throws -> [String: CertificateVerification] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT id, verification_code, status::text AS status, learner_name, course_title, organisation,
                   program_title, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, revoked_at, revocation_reason,
                   document_path, document_sha256, document_bytes, document_purged_at
            FROM attest.certificates
            WHERE verification_code = ANY($1::text[]) AND status <> 'pending'
            """,
            [PGArray(codes)]
        )
        var found: [String: CertificateVerification] = [:]
        for row in rows {
            let verification = CertificateVerification(
                id: try row.decode("id"),
                verificationCode: try row.decode("verification_code"),
                status: CertificateRecord.Status(rawValue: try row.decode("status")) ?? .pending,
                learnerName: try row.decode("learner_name"),
                courseTitle: try row.decode("course_title"),
                organisation: try row.decode("organisation"),
                programTitle: try row.decode("program_title"),
                issuedOn: try row.decode("issued_on"),
                revokedAt: try row.decode("revoked_at"),
                revocationReason: try row.decode("revocation_reason"),
                documentPath: try row.decode("document_path"),
                documentSHA256: try row.decode("document_sha256"),
                documentBytes: try row.decode("document_bytes"),
                documentPurgedAt: try row.decode("document_purged_at")
            )
            found[verification.verificationCode] = verification
        }
        return found
    }
}
