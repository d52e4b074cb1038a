// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// One line of a learner's list of programs: how far they are, and the record's share link while it is shared.
public struct ProgramProgress: Sendable, Equatable, Encodable {
    public var programID: String
    public var title: String
    public var organisation: String
    public var type: String?
    /// Courses with an issued, valid certificate.
    public var earned: Int
    /// Courses of the program.
    public var total: Int
    /// `ATTEST_PUBLIC_URL/r/{token}` of the active share; nil when the record is not shared.
    public var shareURL: String?
    /// When the active share was created; encoded as an RFC 3339 timestamp whatever the encoder's date strategy.
    public var sharedAt: Date?

    enum CodingKeys: String, CodingKey {
        case programID = "program_id"
        case title, organisation, type, earned, total
        case shareURL = "share_url"
        case sharedAt = "shared_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.programID, forKey: .programID)
        try container.encode(self.title, forKey: .title)
        try container.encode(self.organisation, forKey: .organisation)
        try container.encode(self.type, forKey: .type)
        try container.encode(self.earned, forKey: .earned)
        try container.encode(self.total, forKey: .total)
        try container.encode(self.shareURL, forKey: .shareURL)
        try container.encode(self.sharedAt?.formatted(.iso8601), forKey: .sharedAt)
    }
}
