// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// One share link of a learner's program record, and its audit: who shared it and when, who revoked it and when.
public struct RecordShare: Sendable, Equatable {
    /// Upper case; the secret in `/r/{token}`.
    public var token: String
    public var learnerID: String
    public var programID: String
    public var createdAt: Date
    /// Who asked for the link, such as `operator:alice` or `api`.
    public var createdBy: String
    /// Nil while the link works.
    public var revokedAt: Date?
    public var revokedBy: String?

    /// Whether the link still opens the record.
    public var isActive: Bool { self.revokedAt == nil }

    /// `ATTEST_PUBLIC_URL/r/{token}`; `publicBaseURL` has no trailing slash.
    public func url(publicBaseURL: String) -> String {
        "\(publicBaseURL)/r/\(self.token)"
    }
}
