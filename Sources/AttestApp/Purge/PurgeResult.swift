// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import Foundation

/// What happened (or, in a dry run, would happen) to one certificate's file; one line of the command's output.
struct PurgeResult: Sendable {
    var certificate: CertificateRecord
    var outcome: PurgeItemRecord.Outcome
    /// The file as the row named it.
    var filePath: String?
    /// Why, for outcomes other than a plain deletion.
    var message: String?

    /// Whether this counts as an error (the run exits 1).
    var isError: Bool {
        switch self.outcome {
        case .refusedOutsideRoot, .refusedHashMismatch, .pending, .error: true
        case .intent, .deleted, .missingFile, .alreadyPurged, .interrupted: false
        }
    }

    /// `deleted  CODE  learner ID  PATH  BYTES bytes`, and the like; `would …` in a dry run.
    func line(dryRun: Bool) -> String {
        let label: String
        switch (self.outcome, dryRun) {
        case (.deleted, false): label = "deleted"
        case (.deleted, true): label = "would delete"
        case (.missingFile, false): label = "file missing"
        case (.missingFile, true): label = "file missing, would clear link"
        case (.refusedOutsideRoot, false), (.refusedHashMismatch, false): label = "refused"
        case (.refusedOutsideRoot, true), (.refusedHashMismatch, true): label = "would refuse"
        case (.alreadyPurged, _): label = "already purged"
        case (.pending, _): label = "pending"
        case (.error, _): label = "error"
        case (.intent, _), (.interrupted, _): label = self.outcome.rawValue
        }
        var fields = [label, self.certificate.verificationCode, "learner \(self.certificate.learnerID)"]
        if let path = self.filePath { fields.append(path) }
        if self.outcome == .deleted, let bytes = self.certificate.documentBytes { fields.append("\(bytes) bytes") }
        if self.outcome == .alreadyPurged, let purgedAt = self.certificate.documentPurgedAt {
            fields.append("purged \(purgedAt.formatted(.iso8601))")
        }
        if let message = self.message { fields.append(message) }
        return fields.joined(separator: "  ")
    }
}
