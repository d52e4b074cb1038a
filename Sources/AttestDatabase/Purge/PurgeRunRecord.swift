// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// One `attest purge-pdfs` run as the audit trail keeps it: who ran it, when, with what, and how it ended.
public struct PurgeRunRecord: Sendable, Codable, Equatable {
    /// `running` while the command works; `interrupted` once a later run found it dead.
    public enum State: String, Sendable, Codable {
        case running
        case succeeded
        case failed
        case interrupted
    }

    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    public var state: State
    /// The operating-system account that ran the command.
    public var osUser: String
    /// The name given with `--operator`.
    public var `operator`: String?
    public var host: String
    public var processID: Int
    /// The command line after `attest`.
    public var arguments: [String]
    /// How many learner ids, or certificate codes, were asked for.
    public var learnersRequested: Int
    public var certificatesRequested: Int
    /// Learner ids without any certificate, and codes of no certificate.
    public var notFound: Int
    public var certificatesSelected: Int
    public var certificatesPurged: Int
    public var filesDeleted: Int
    public var filesMissing: Int
    public var bytesFreed: Int64
    public var alreadyPurged: Int
    public var errors: Int
}
