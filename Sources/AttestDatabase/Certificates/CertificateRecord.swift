// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// A certificate row: what was printed, its status, and where its document is.
public struct CertificateRecord: Sendable, Codable, Equatable {
    /// `pending` until the document is stored, then `issued`; `revoked` keeps everything but the verdict.
    public enum Status: String, Sendable, Codable {
        case pending
        case issued
        case revoked
    }

    public var id: UUID
    public var completionID: UUID
    public var verificationCode: String
    public var learnerID: String
    public var learnerName: String
    public var courseTitle: String
    public var organisation: String
    /// Midnight UTC of the issue date.
    public var issuedOn: Date
    public var locale: String
    public var score: Double?
    public var programTitle: String?
    public var templateID: String
    public var templateVersion: Int
    public var status: Status
    public var revokedAt: Date?
    public var revocationReason: String?
    /// Relative to the storage root; nil once purged.
    public var documentPath: String?
    public var documentSHA256: String?
    public var documentBytes: Int?
    public var documentPurgedAt: Date?
    public var createdAt: Date
    public var issuedAt: Date?

    /// The issue date as `YYYY-MM-DD`.
    public var issuedOnText: String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: self.issuedOn)
        return String(format: "%04d-%02d-%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
    }
}
