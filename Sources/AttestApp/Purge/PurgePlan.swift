// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase

/// A selection resolved against the database: which certificates to purge, which need nothing, what is unknown.
struct PurgePlan: Sendable {
    /// Issued or revoked certificates that still point at a file.
    var toPurge: [CertificateRecord]
    /// Certificates whose file was purged before (or that point at none).
    var alreadyPurged: [CertificateRecord]
    /// Certificates still being rendered: purging now could race the worker that writes their file.
    var pending: [CertificateRecord]
    /// Learner ids without any certificate, or codes of no certificate, as given.
    var notFound: [String]
    /// Whether `notFound` holds learner ids (or codes).
    var selectsLearners: Bool

    /// Sorts `certificates` found for `selection`.
    init(selection: PurgeSelection, certificates: [CertificateRecord]) {
        self.toPurge = []
        self.alreadyPurged = []
        self.pending = []
        for certificate in certificates {
            if certificate.documentPath == nil {
                self.alreadyPurged.append(certificate)
            } else if certificate.status == .pending {
                self.pending.append(certificate)
            } else {
                self.toPurge.append(certificate)
            }
        }
        switch selection {
        case .learners(let ids):
            let found = Set(certificates.map(\.learnerID))
            self.notFound = ids.filter { !found.contains($0) }
            self.selectsLearners = true
        case .certificates:
            let found = Set(certificates.map(\.verificationCode))
            self.notFound = selection.certificateCodes.filter { !found.contains($0) }
            self.selectsLearners = false
        }
    }

    /// The bytes the files to purge take, as their rows recorded them.
    var bytes: Int {
        self.toPurge.reduce(0) { $0 + ($1.documentBytes ?? 0) }
    }

    /// How many learners the certificates to purge belong to.
    var learnerCount: Int {
        Set(self.toPurge.map(\.learnerID)).count
    }
}
