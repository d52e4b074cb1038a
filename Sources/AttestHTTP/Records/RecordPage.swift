// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Mustache

/// The values of a shared record's page, already formatted; the template escapes every one of them.
struct RecordPage: PageContent {
    /// One course of the record as the page lists it.
    struct Course: Sendable, MustacheParent {
        let position: Int
        let title: String
        let status: String
        /// `valid` (earned), `revoked` or `unknown` (not earned): the page's colours for the status.
        let statusClass: String
        let grade: String?
        let completedOn: String?
        let completedOnText: String?
        let verificationURL: String?

        func child(named name: String) -> Any? {
            switch name {
            case "position": self.position
            case "title": self.title
            case "status": self.status
            case "statusClass": self.statusClass
            case "grade": self.grade
            case "completedOn": self.completedOn
            case "completedOnText": self.completedOnText
            case "verificationURL": self.verificationURL
            default: nil
            }
        }
    }

    let title: String
    let programTitle: String
    let programType: String?
    let organisation: String
    let learnerName: String
    let summary: String
    /// `valid` when every course is earned, `unknown` otherwise: the colour of the summary.
    let summaryClass: String
    let courses: [Course]
    let csvPath: String
    let pdfPath: String

    init(_ record: ProgramRecord, token: String) {
        self.title = "\(record.program.title) · \(record.learnerName)"
        self.programTitle = record.program.title
        self.programType = record.program.type
        self.organisation = record.program.organisation
        self.learnerName = record.learnerName
        self.summary = record.summary
        self.summaryClass = record.total > 0 && record.earned == record.total ? "valid" : "unknown"
        self.courses = record.courses.map { course in
            Course(
                position: course.position,
                title: course.title,
                status: course.status.label,
                statusClass: Self.statusClass(course.status),
                grade: course.grade,
                completedOn: course.completedOn?.description,
                completedOnText: course.completedOn.map { DateText.long(isoDate: $0.description) },
                verificationURL: course.verificationURL
            )
        }
        // Relative to /r/{token}, so that the links also work behind a proxy that serves Attest under a path.
        self.csvPath = "\(token).csv"
        self.pdfPath = "\(token).pdf"
    }

    func child(named name: String) -> Any? {
        switch name {
        case "programTitle": self.programTitle
        case "programType": self.programType
        case "organisation": self.organisation
        case "learnerName": self.learnerName
        case "summary": self.summary
        case "summaryClass": self.summaryClass
        case "courses": self.courses
        case "csvPath": self.csvPath
        case "pdfPath": self.pdfPath
        default: nil
        }
    }

    private static func statusClass(_ status: ProgramRecord.Status) -> String {
        switch status {
        case .earned: "valid"
        case .revoked: "revoked"
        case .notEarned: "unknown"
        }
    }
}
