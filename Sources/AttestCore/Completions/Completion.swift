// Attest — certificates and documents you can verify. Apache-2.0.

/// A course completion as the learning pipeline submits it (CONTRACT.md "A completion"), already validated.
///
/// Create one with `init(validating:)` or `init(json:)` (or `JSONDecoder`, which validates too); every
/// value of this type obeys `CompletionRules`. Encoding writes the contract's snake_case JSON.
package struct Completion: Sendable, Hashable, Codable {
    /// The pipeline's idempotency key.
    package var externalID: String
    package var learnerID: String
    /// The name printed on the certificate: trimmed, NFC-normalised, free of control characters.
    package var learnerName: String
    package var courseID: String
    package var courseTitle: String
    /// The issuing organisation.
    package var organisation: String
    package var completedAt: Timestamp
    /// Between 0 and 1 when present.
    package var score: Double?
    /// A template id (`CompletionRules.isTemplateID`); nil means the configured default.
    package var template: String?
    /// BCP 47 language tag for dates on the certificate. Defaults to `en`.
    package var locale: String
    package var programID: String?
    package var programTitle: String?

    /// The JSON keys, in the order the contract lists them (problems are reported in this order).
    package enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case externalID = "external_id"
        case learnerID = "learner_id"
        case learnerName = "learner_name"
        case courseID = "course_id"
        case courseTitle = "course_title"
        case organisation
        case completedAt = "completed_at"
        case score
        case template
        case locale
        case programID = "program_id"
        case programTitle = "program_title"
    }

    /// Decodes and validates; a broken value throws a `CoreError` that lists every wrong field.
    package init(from decoder: any Decoder) throws {
        try self.init(validating: JSONValue(from: decoder))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.externalID, forKey: .externalID)
        try container.encode(self.learnerID, forKey: .learnerID)
        try container.encode(self.learnerName, forKey: .learnerName)
        try container.encode(self.courseID, forKey: .courseID)
        try container.encode(self.courseTitle, forKey: .courseTitle)
        try container.encode(self.organisation, forKey: .organisation)
        try container.encode(self.completedAt, forKey: .completedAt)
        try container.encodeIfPresent(self.score, forKey: .score)
        try container.encodeIfPresent(self.template, forKey: .template)
        try container.encode(self.locale, forKey: .locale)
        try container.encodeIfPresent(self.programID, forKey: .programID)
        try container.encodeIfPresent(self.programTitle, forKey: .programTitle)
    }
}
