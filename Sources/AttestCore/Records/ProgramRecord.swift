// Attest — certificates and documents you can verify. Apache-2.0.

/// A learner's record in one program, computed from the catalog and their certificates (never stored): every
/// course of the program in order, with its status, grade, date and certificate. The JSON, CSV, page and PDF of
/// a record are all made from this one value, so they cannot disagree.
package struct ProgramRecord: Sendable, Hashable, Encodable {
    /// What the record says about the program itself.
    package struct ProgramInfo: Sendable, Hashable, Encodable {
        package var id: String
        package var title: String
        package var organisation: String
        package var type: String?

        package init(id: String, title: String, organisation: String, type: String?) {
            self.id = id
            self.title = title
            self.organisation = organisation
            self.type = type
        }
    }

    /// Where the learner stands in one course.
    package enum Status: String, Sendable, Hashable, Encodable, CaseIterable {
        /// An issued, valid certificate.
        case earned
        /// Only revoked certificates.
        case revoked
        /// No certificate (or one still being rendered).
        case notEarned = "not_earned"

        /// The word shown on the page, the PDF and in the CSV.
        package var label: String {
            switch self {
            case .earned: "Earned"
            case .revoked: "Revoked"
            case .notEarned: "Not earned"
            }
        }
    }

    /// One course of the program and the learner's best certificate for it.
    package struct Course: Sendable, Hashable, Encodable {
        /// 1-based position in the program.
        package var position: Int
        package var courseID: String
        /// The catalog's title of the course.
        package var title: String
        package var status: Status
        /// The best score (0…1) among the learner's valid certificates for the course; nil when there is none or
        /// the completion carried no score.
        package var score: Double?
        /// The completion date of the certificate shown.
        package var completedOn: CalendarDate?
        package var verificationCode: String?
        /// `ATTEST_PUBLIC_URL/v/{code}` of the certificate shown.
        package var verificationURL: String?

        package init(
            position: Int,
            courseID: String,
            title: String,
            status: Status,
            score: Double?,
            completedOn: CalendarDate?,
            verificationCode: String?,
            verificationURL: String?
        ) {
            self.position = position
            self.courseID = courseID
            self.title = title
            self.status = status
            self.score = score
            self.completedOn = completedOn
            self.verificationCode = verificationCode
            self.verificationURL = verificationURL
        }

        /// The score as a percentage with at most one decimal ("92%", "87.5%"), the same in every format; nil
        /// without a score.
        package var grade: String? {
            guard let score = self.score else { return nil }
            let tenths = Int((min(max(score, 0), 1) * 1_000).rounded())
            return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
        }

        enum CodingKeys: String, CodingKey {
            case position, title, status, score, grade
            case courseID = "course_id"
            case completedOn = "completed_on"
            case verificationCode = "verification_code"
            case verificationURL = "verification_url"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.position, forKey: .position)
            try container.encode(self.courseID, forKey: .courseID)
            try container.encode(self.title, forKey: .title)
            try container.encode(self.status, forKey: .status)
            try container.encode(self.score, forKey: .score)
            try container.encode(self.grade, forKey: .grade)
            try container.encode(self.completedOn, forKey: .completedOn)
            try container.encode(self.verificationCode, forKey: .verificationCode)
            try container.encode(self.verificationURL, forKey: .verificationURL)
        }
    }

    package var program: ProgramInfo
    package var learnerID: String
    /// The name on the learner's latest completion.
    package var learnerName: String
    package var courses: [Course]

    package init(program: ProgramInfo, learnerID: String, learnerName: String, courses: [Course]) {
        self.program = program
        self.learnerID = learnerID
        self.learnerName = learnerName
        self.courses = courses
    }

    /// How many courses are earned.
    package var earned: Int { self.courses.count(where: { $0.status == .earned }) }
    /// How many courses the program has.
    package var total: Int { self.courses.count }
    /// "3 of 5 courses earned".
    package var summary: String { "\(self.earned) of \(self.total) courses earned" }

    /// The latest completion date in the record: the date a transcript is dated, so the same record renders the
    /// same bytes.
    package var latestDate: CalendarDate? { self.courses.compactMap(\.completedOn).max() }

    enum CodingKeys: String, CodingKey {
        case program, courses, earned, total
        case learner
    }

    /// The keys of the `learner` object.
    enum LearnerKeys: String, CodingKey {
        case id, name
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.program, forKey: .program)
        var learner = container.nestedContainer(keyedBy: LearnerKeys.self, forKey: .learner)
        try learner.encode(self.learnerID, forKey: .id)
        try learner.encode(self.learnerName, forKey: .name)
        try container.encode(self.courses, forKey: .courses)
        try container.encode(self.earned, forKey: .earned)
        try container.encode(self.total, forKey: .total)
    }
}
