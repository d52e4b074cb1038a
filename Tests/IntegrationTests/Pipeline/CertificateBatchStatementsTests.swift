// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

/// The statements the certificate handler batches: each answers every request, in order, as one call alone would.
@Suite("certificate statements for many jobs at once", .requiresDatabase)
struct CertificateBatchStatementsTests {
    private static func reservation(_ completion: UUID, code: String, score: Double?, program: String?) -> CertificateRepository.Reservation {
        let id = UUID()
        return .init(
            id: id, completionID: completion, verificationCode: code, learnerID: "l", learnerName: "Zoë Ångström",
            courseTitle: "Data \"Protection\"", organisation: "o", issuedOn: "2026-01-31", locale: "en", score: score,
            programTitle: program, templateID: "classic", templateVersion: 2, documentPath: "certificates/\(id).pdf"
        )
    }

    @Test("find, reserve and markIssued for several ids answer each in order; a completion keeps its first reservation")
    func batchesAnswerInOrder() async throws {
        try await TestDatabase.withPool { _, pool in
            var completionIDs: [UUID] = []
            for index in 1...3 {
                completionIDs.append(
                    try await pool.query("SELECT attest.submit_completion($1::jsonb) AS id", [PipelineTestSupport.completion(index)])[0]
                        .decode("id")
                )
            }
            let unknown = UUID()
            let found = try await pool.withConnection {
                try await CompletionRepository().find(ids: [completionIDs[2], unknown, completionIDs[0]], on: $0)
            }
            #expect(found.map { $0?.id } == [completionIDs[2], nil, completionIDs[0]])

            let certificates = CertificateRepository()
            let earlier = Self.reservation(completionIDs[1], code: "EARLIER2345EARLIER2345EARL", score: nil, program: nil)
            _ = try await pool.withConnection { try await certificates.reserve(earlier, on: $0) }
            let batch = [
                Self.reservation(completionIDs[0], code: "FIRST2345FIRST2345FIRST234", score: 0.875, program: "Data Programme"),
                Self.reservation(completionIDs[1], code: "RETRY2345RETRY2345RETRY234", score: nil, program: nil),
                Self.reservation(completionIDs[2], code: "THIRD2345THIRD2345THIRD234", score: nil, program: nil),
            ]
            let reserved = try await pool.withConnection { try await certificates.reserve(batch, on: $0) }
            #expect(reserved.map(\.completionID) == completionIDs)
            #expect(reserved.map(\.id) == [batch[0].id, earlier.id, batch[2].id], "the second completion keeps the row reserved before")
            #expect(reserved[1].verificationCode == earlier.verificationCode)
            #expect(reserved[0].score == 0.875)
            #expect(reserved[0].programTitle == "Data Programme")
            #expect(reserved[0].learnerName == "Zoë Ångström")
            #expect(reserved[0].courseTitle == "Data \"Protection\"")
            #expect(reserved[0].templateVersion == 2)
            #expect(reserved.allSatisfy { $0.status == .pending })

            let first = try await pool.withConnection {
                try await certificates.markIssued(
                    [
                        .init(certificateID: reserved[2].id, sha256: "cc", bytes: 3),
                        .init(certificateID: UUID(), sha256: "00", bytes: 1),
                        .init(certificateID: reserved[0].id, sha256: "aa", bytes: 1),
                    ],
                    on: $0
                )
            }
            #expect(first == [true, false, true])
            let again = try await pool.withConnection {
                try await certificates.markIssued(
                    [.init(certificateID: reserved[0].id, sha256: "ff", bytes: 9), .init(certificateID: reserved[1].id, sha256: "bb", bytes: 2)],
                    on: $0
                )
            }
            #expect(again == [false, true], "an issued certificate is not issued again")
            let rows = try await pool.query(
                "SELECT id, document_sha256, document_bytes FROM attest.certificates WHERE id = ANY($1)",
                [PGArray(reserved.map(\.id))]
            )
            let stored = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("id", as: UUID.self), try $0.decode("document_sha256", as: String.self)) })
            #expect(stored == [reserved[0].id: "aa", reserved[1].id: "bb", reserved[2].id: "cc"])
        }
    }
}
