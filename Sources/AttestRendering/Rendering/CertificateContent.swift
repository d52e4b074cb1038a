// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore

/// The values printed on one certificate (what the certificate row records "as printed").
package struct CertificateContent: Sendable, Hashable {
    package var learnerName: String
    package var courseTitle: String
    package var organisation: String
    /// The issue date; printed for `locale` and written as the PDF's creation date.
    package var issuedOn: CalendarDate
    /// BCP 47 tag for the date and score, such as `en`, `fr-CA`, `ar`. Defaults to `en`.
    package var locale: String
    package var verificationCode: String
    /// The URL in the QR code and the link, `ATTEST_PUBLIC_URL/v/<code>`.
    package var verificationURL: String
    /// 0…1, printed as a percentage; blocks that use `{{score}}` are left out when nil.
    package var score: Double?
    /// Blocks that use `{{program_title}}` are left out when nil.
    package var programTitle: String?

    package init(
        learnerName: String,
        courseTitle: String,
        organisation: String,
        issuedOn: CalendarDate,
        locale: String = CompletionRules.defaultLocale,
        verificationCode: String,
        verificationURL: String,
        score: Double? = nil,
        programTitle: String? = nil
    ) {
        self.learnerName = learnerName
        self.courseTitle = courseTitle
        self.organisation = organisation
        self.issuedOn = issuedOn
        self.locale = locale
        self.verificationCode = verificationCode
        self.verificationURL = verificationURL
        self.score = score
        self.programTitle = programTitle
    }

    /// The content for a validated completion: its names and titles, issued on the completion's local date.
    package init(completion: Completion, verificationCode: String, verificationURL: String) {
        self.init(
            learnerName: completion.learnerName,
            courseTitle: completion.courseTitle,
            organisation: completion.organisation,
            issuedOn: completion.completedAt.localDate,
            locale: completion.locale,
            verificationCode: verificationCode,
            verificationURL: verificationURL,
            score: completion.score,
            programTitle: completion.programTitle
        )
    }

    /// Rejects values that must never be drawn: blank or over-long text, control characters, a URL that is not
    /// http(s). Throws `RenderError` with code `invalidContent` naming the field.
    package func validate() throws {
        func check(_ field: String, _ value: String, _ length: ClosedRange<Int>) throws {
            if let reason = CompletionRules.unprintableCharacter(in: value) {
                throw RenderError(.invalidContent, "\(field) \(reason)")
            }
            let trimmed = CompletionRules.normalised(value)
            guard length.contains(trimmed.unicodeScalars.count) else {
                throw RenderError(
                    .invalidContent,
                    "\(field) must be \(length.lowerBound)–\(length.upperBound) characters, not \(trimmed.unicodeScalars.count)"
                )
            }
        }
        try check("learner_name", self.learnerName, CompletionRules.learnerNameLength)
        try check("course_title", self.courseTitle, CompletionRules.titleLength)
        try check("organisation", self.organisation, CompletionRules.titleLength)
        try check("verification_code", self.verificationCode, 1...200)
        try check("verification_url", self.verificationURL, 1...1000)
        if let programTitle = self.programTitle {
            try check("program_title", programTitle, CompletionRules.titleLength)
        }
        let url = self.verificationURL.lowercased()
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(" ") else {
            throw RenderError(.invalidContent, "verification_url must be an http:// or https:// URL without spaces")
        }
        guard CompletionRules.isLanguageTag(self.locale) else {
            throw RenderError(.invalidContent, "locale \"\(self.locale)\" is not a BCP 47 language tag")
        }
        if let score = self.score, !(score.isFinite && CompletionRules.scoreRange.contains(score)) {
            throw RenderError(.invalidContent, "score must be from 0 to 1")
        }
    }
}
