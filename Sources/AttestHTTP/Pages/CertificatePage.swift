// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Mustache

/// The values of the verification page, already formatted; the template escapes every one of them.
struct CertificatePage: PageContent {
    let title: String
    /// `valid`, `revoked` or `removed`: the colour of the verdict.
    let verdictClass: String
    let verdictMark: String
    let verdictTitle: String
    let verdictDetail: String
    let learnerName: String
    let courseTitle: String
    let programTitle: String?
    let organisation: String
    let issuedOn: String
    let issuedOnText: String
    let revokedAt: String?
    let revokedOn: String?
    let revocationReason: String?
    let code: String
    let sha256: String?
    let documentAvailable: Bool
    let documentRemoved: Bool
    let purgedOn: String?
    let pdfPath: String
    let verifyURL: String
    let checkURL: String
    let checkPath: String

    init(_ verdict: CertificateVerdict, publicBaseURL: String) {
        let verifyURL = "\(publicBaseURL)/v/\(verdict.code)"
        let issuedOnText = DateText.long(isoDate: verdict.issuedOn)
        switch (verdict.status, verdict.documentAvailable) {
        case (.revoked, _):
            self.verdictClass = "revoked"
            self.verdictMark = "✕"
            self.verdictTitle = "Revoked"
            let when = verdict.revokedAt.map { " on \(DateText.long($0))" } ?? ""
            self.verdictDetail =
                "This certificate was issued by \(verdict.organisation) on \(issuedOnText) and revoked\(when). "
                + "It is no longer valid."
        case (.valid, true):
            self.verdictClass = "valid"
            self.verdictMark = "✓"
            self.verdictTitle = "Valid certificate"
            self.verdictDetail = "Issued by \(verdict.organisation) on \(issuedOnText), and not revoked."
        case (.valid, false):
            self.verdictClass = "removed"
            self.verdictMark = "✓"
            self.verdictTitle = "Valid · document removed"
            self.verdictDetail =
                "Issued by \(verdict.organisation) on \(issuedOnText), and not revoked. "
                + "Its PDF file is no longer kept on this server."
        }
        self.title = "\(self.verdictTitle): \(verdict.learnerName) · \(verdict.courseTitle)"
        self.learnerName = verdict.learnerName
        self.courseTitle = verdict.courseTitle
        self.programTitle = verdict.programTitle
        self.organisation = verdict.organisation
        self.issuedOn = verdict.issuedOn
        self.issuedOnText = issuedOnText
        self.revokedAt = verdict.revokedAt.map { $0.formatted(.iso8601) }
        self.revokedOn = verdict.revokedAt.map { DateText.long($0) }
        self.revocationReason = verdict.status == .revoked ? verdict.revocationReason : nil
        self.code = verdict.code
        self.sha256 = verdict.documentSHA256
        self.documentAvailable = verdict.documentAvailable
        self.documentRemoved = !verdict.documentAvailable
        self.purgedOn = verdict.documentPurgedAt.map { DateText.long($0) }
        self.pdfPath = "/v/\(verdict.code)/certificate.pdf"
        self.verifyURL = verifyURL
        self.checkURL = "\(verifyURL)/check"
        self.checkPath = "/v/\(verdict.code)/check"
    }

    func child(named name: String) -> Any? {
        switch name {
        case "verdictClass": self.verdictClass
        case "verdictMark": self.verdictMark
        case "verdictTitle": self.verdictTitle
        case "verdictDetail": self.verdictDetail
        case "learnerName": self.learnerName
        case "courseTitle": self.courseTitle
        case "programTitle": self.programTitle
        case "organisation": self.organisation
        case "issuedOn": self.issuedOn
        case "issuedOnText": self.issuedOnText
        case "revokedAt": self.revokedAt
        case "revokedOn": self.revokedOn
        case "revocationReason": self.revocationReason
        case "code": self.code
        case "sha256": self.sha256
        case "documentAvailable": self.documentAvailable
        case "documentRemoved": self.documentRemoved
        case "purgedOn": self.purgedOn
        case "pdfPath": self.pdfPath
        case "verifyURL": self.verifyURL
        case "checkURL": self.checkURL
        case "checkPath": self.checkPath
        default: nil
        }
    }
}
