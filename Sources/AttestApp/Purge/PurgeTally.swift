// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase

/// The counts of a purge (or of a dry run) for its closing summary line.
struct PurgeTally: Sendable, Equatable {
    var certificatesPurged = 0
    var filesDeleted = 0
    var bytesFreed: Int64 = 0
    var filesMissing = 0
    var alreadyPurged = 0
    var notFound = 0
    var errors = 0

    init(notFound: Int) {
        self.notFound = notFound
    }

    /// The counts a finished run recorded.
    init(run: PurgeRunRecord) {
        self.certificatesPurged = run.certificatesPurged
        self.filesDeleted = run.filesDeleted
        self.bytesFreed = run.bytesFreed
        self.filesMissing = run.filesMissing
        self.alreadyPurged = run.alreadyPurged
        self.notFound = run.notFound
        self.errors = run.errors
    }

    /// Counts one certificate's result.
    mutating func add(_ result: PurgeResult) {
        switch result.outcome {
        case .deleted:
            self.certificatesPurged += 1
            self.filesDeleted += 1
            self.bytesFreed += Int64(result.certificate.documentBytes ?? 0)
        case .missingFile:
            self.certificatesPurged += 1
            self.filesMissing += 1
        case .alreadyPurged:
            self.alreadyPurged += 1
        case .refusedOutsideRoot, .refusedHashMismatch, .pending, .error:
            self.errors += 1
        case .intent, .interrupted:
            break
        }
    }

    /// `certificates purged 5, files deleted 5, bytes freed 81234, files already missing 0, already purged 0, …`
    var summary: String {
        "certificates purged \(self.certificatesPurged), files deleted \(self.filesDeleted), "
            + "bytes freed \(self.bytesFreed), files already missing \(self.filesMissing), "
            + "already purged \(self.alreadyPurged), not found \(self.notFound), errors \(self.errors)"
    }
}
