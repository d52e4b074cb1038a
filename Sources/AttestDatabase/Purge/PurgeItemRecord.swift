// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// What one purge run did to one certificate's file, as the audit trail keeps it.
public struct PurgeItemRecord: Sendable, Codable, Equatable {
    /// The steps a certificate goes through; `intent` is written before the file is touched, the rest are final
    /// (but `interrupted`, which a later run finishes).
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// Recorded before the file is touched.
        case intent
        /// The file was deleted and the certificate's link cleared.
        case deleted
        /// There was no file any more; the link was cleared.
        case missingFile = "missing_file"
        /// The row's path leaves the storage root: nothing was deleted and the row is unchanged.
        case refusedOutsideRoot = "refused_outside_root"
        /// The file's SHA-256 is not the one recorded for the certificate (the row may name another certificate's
        /// file): nothing was deleted and the row is unchanged.
        case refusedHashMismatch = "refused_hash_mismatch"
        /// An earlier run purged it.
        case alreadyPurged = "already_purged"
        /// Still being rendered: nothing was done.
        case pending
        /// Deleting or clearing failed; the row keeps its link.
        case error
        /// The run died after recording the intent; a later run finishes the certificate.
        case interrupted
    }

    public var id: Int64
    public var runID: Int64
    public var certificateID: UUID
    public var verificationCode: String
    public var learnerID: String
    /// Relative to the storage root, as the certificate row named it.
    public var filePath: String?
    public var fileBytes: Int?
    public var outcome: Outcome
    public var message: String?
    public var recordedAt: Date
    public var finishedAt: Date?
}
