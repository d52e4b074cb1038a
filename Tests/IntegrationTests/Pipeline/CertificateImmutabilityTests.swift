// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

/// Invariant 2 as the database enforces it (`certificates_immutable`, which fires for rows no longer pending).
@Suite("certificate rows once issued", .requiresDatabase)
struct CertificateImmutabilityTests {
    @Test("a pending row takes its values and is issued; an issued row refuses new printed values; a revoked one stays revoked")
    func issuedRowsDoNotChange() async throws {
        try await TestDatabase.withPool { _, pool in
            let completion = try await pool.query(
                "SELECT attest.submit_completion($1::jsonb) AS id",
                [PipelineTestSupport.completion(1)]
            )[0].decode("id", as: UUID.self)
            let id = UUID()
            let certificates = CertificateRepository()
            _ = try await pool.withConnection { connection in
                try await certificates.reserve(
                    .init(
                        id: id, completionID: completion, verificationCode: "ABCDEFGHJKMNPQRSTVWXYZ2345",
                        learnerID: "l", learnerName: "Ada", courseTitle: "t", organisation: "o", issuedOn: "2026-01-01",
                        locale: "en", score: nil, programTitle: nil, templateID: "classic", templateVersion: 1,
                        documentPath: "certificates/ab/x.pdf"
                    ),
                    on: connection
                )
            }
            // Pending: the row may still change (the trigger does not fire), and issuing it works.
            try await pool.query("UPDATE attest.certificates SET learner_name = 'Ada Lovelace' WHERE id = $1", [id])
            let issued = try await pool.withConnection { try await certificates.markIssued(id: id, sha256: "00", bytes: 1, on: $0) }
            #expect(issued)

            let changed = await #expect(throws: PGError.self) {
                try await pool.query("UPDATE attest.certificates SET learner_name = 'Someone Else' WHERE id = $1", [id])
            }
            #expect(changed?.sqlState == "55000")
            try await pool.query(
                "UPDATE attest.certificates SET status = 'revoked', revoked_at = now(), revocation_reason = 'test' WHERE id = $1",
                [id]
            )
            let restored = await #expect(throws: PGError.self) {
                try await pool.query(
                    "UPDATE attest.certificates SET status = 'issued', revoked_at = NULL, revocation_reason = NULL WHERE id = $1",
                    [id]
                )
            }
            #expect(restored?.sqlState == "55000")
            let row = try await pool.query("SELECT learner_name, status::text AS status FROM attest.certificates WHERE id = $1", [id])
            #expect(try row[0].decode("learner_name", as: String.self) == "Ada Lovelace")
            #expect(try row[0].decode("status", as: String.self) == "revoked")
        }
    }
}
