// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import Foundation

/// What a certificate row says to a verifier: the verdict and the facts the page and the JSON show.
///
/// Built only from an issued or revoked row; a pending row is not a certificate yet and is answered like an
/// unknown code (the lookup does not return it; should one arrive anyway, `init` refuses it).
struct CertificateVerdict: Sendable {
    /// The headline of the page.
    enum Status: String, Sendable {
        case valid
        case revoked
    }

    let id: UUID
    let code: String
    let status: Status
    let learnerName: String
    let courseTitle: String
    let organisation: String
    let programTitle: String?
    /// `YYYY-MM-DD`.
    let issuedOn: String
    let revokedAt: Date?
    let revocationReason: String?
    /// The SHA-256 of the issued file, as recorded when it was stored.
    let documentSHA256: String?
    let documentBytes: Int?
    /// Relative to the storage root; nil once purged.
    let documentPath: String?
    let documentPurgedAt: Date?

    init?(_ record: CertificateVerification) {
        switch record.status {
        case .pending: return nil
        case .issued: self.status = .valid
        case .revoked: self.status = .revoked
        }
        self.id = record.id
        self.code = record.verificationCode
        self.learnerName = record.learnerName
        self.courseTitle = record.courseTitle
        self.organisation = record.organisation
        self.programTitle = record.programTitle
        self.issuedOn = record.issuedOn
        self.revokedAt = record.revokedAt
        self.revocationReason = record.revocationReason
        self.documentSHA256 = record.documentSHA256
        self.documentBytes = record.documentBytes
        self.documentPath = record.documentPath
        self.documentPurgedAt = record.documentPurgedAt
    }

    /// The PDF can be downloaded.
    var documentAvailable: Bool { self.documentPath != nil && self.documentSHA256 != nil }

    /// The PDF was deleted (after a purge); the certificate itself stands.
    var documentRemoved: Bool { !self.documentAvailable }

    /// A strong validator for everything a response shows: it changes when the status, the revocation or the
    /// document's availability changes.
    func entityTag(representation: String) -> String {
        var text = "\(representation)|\(self.code)|\(self.status.rawValue)|\(self.documentSHA256 ?? "-")"
        text +=
            "|\(self.documentAvailable)|\(self.revokedAt?.timeIntervalSince1970 ?? 0)|\(self.revocationReason ?? "")"
        return EntityTag.strong(for: text)
    }
}
