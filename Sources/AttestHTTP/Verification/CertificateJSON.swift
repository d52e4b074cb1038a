// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// The JSON answer of `GET /v/{code}.json` (CONTRACT.md): exactly these fields, absent values as `null`.
struct CertificateJSON: Encodable {
    /// The `document` object.
    struct Document: Encodable {
        let available: Bool
        let sha256: String?
        let url: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.available, forKey: .available)
            try container.encode(self.sha256, forKey: .sha256)
            try container.encode(self.url, forKey: .url)
        }

        enum CodingKeys: String, CodingKey {
            case available
            case sha256
            case url
        }
    }

    let code: String
    let status: String
    let learnerName: String
    let courseTitle: String
    let organisation: String
    let issuedOn: String
    /// RFC 3339 in UTC.
    let revokedAt: String?
    let revocationReason: String?
    let document: Document

    init(_ verdict: CertificateVerdict, publicBaseURL: String) {
        self.code = verdict.code
        self.status = verdict.status.rawValue
        self.learnerName = verdict.learnerName
        self.courseTitle = verdict.courseTitle
        self.organisation = verdict.organisation
        self.issuedOn = verdict.issuedOn
        self.revokedAt = verdict.revokedAt.map { $0.formatted(.iso8601) }
        self.revocationReason = verdict.status == .revoked ? verdict.revocationReason : nil
        self.document = Document(
            available: verdict.documentAvailable,
            sha256: verdict.documentSHA256,
            url: verdict.documentAvailable ? "\(publicBaseURL)/v/\(verdict.code)/certificate.pdf" : nil
        )
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.code, forKey: .code)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.learnerName, forKey: .learnerName)
        try container.encode(self.courseTitle, forKey: .courseTitle)
        try container.encode(self.organisation, forKey: .organisation)
        try container.encode(self.issuedOn, forKey: .issuedOn)
        try container.encode(self.revokedAt, forKey: .revokedAt)
        try container.encode(self.revocationReason, forKey: .revocationReason)
        try container.encode(self.document, forKey: .document)
    }

    enum CodingKeys: String, CodingKey {
        case code
        case status
        case learnerName = "learner_name"
        case courseTitle = "course_title"
        case organisation
        case issuedOn = "issued_on"
        case revokedAt = "revoked_at"
        case revocationReason = "revocation_reason"
        case document
    }
}
