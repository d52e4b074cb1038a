// Attest — certificates and documents you can verify. Apache-2.0.

package import Foundation

extension Completion {
    /// Validates a decoded JSON value against the contract and reports every wrong field, not just the first.
    ///
    /// Unknown keys are ignored, and `null` counts as absent.
    package init(validating value: JSONValue) throws {
        guard case .object(let object) = value else {
            throw CoreError(
                .invalidCompletion,
                "invalid completion",
                problems: [FieldProblem(field: "$", message: "must be a JSON object, not \(value.typeName)")]
            )
        }
        var reader = FieldReader(object: object)
        let externalID = reader.text(.externalID, length: CompletionRules.identifierLength, required: true)
        let learnerID = reader.text(.learnerID, length: CompletionRules.identifierLength, required: true)
        let learnerName = reader.text(.learnerName, length: CompletionRules.learnerNameLength, required: true)
        let courseID = reader.text(.courseID, length: CompletionRules.identifierLength, required: true)
        let courseTitle = reader.text(.courseTitle, length: CompletionRules.titleLength, required: true)
        let organisation = reader.text(.organisation, length: CompletionRules.titleLength, required: true)
        let completedAt = reader.timestamp(.completedAt)
        let score = reader.score(.score)
        let template = reader.text(.template, length: 1...64, required: false)
        if let template, !CompletionRules.isTemplateID(template) {
            reader.problem(.template, "must be a template id: lower-case letters, digits, - and _")
        }
        let locale = reader.text(.locale, length: CompletionRules.localeLength, required: false)
        if let locale, !CompletionRules.isLanguageTag(locale) {
            reader.problem(.locale, "must be a BCP 47 language tag such as en, fr-CA or zh-Hant")
        }
        let programID = reader.text(.programID, length: CompletionRules.identifierLength, required: false)
        let programTitle = reader.text(.programTitle, length: CompletionRules.titleLength, required: false)

        guard reader.problems.isEmpty, let externalID, let learnerID, let learnerName, let courseID, let courseTitle,
            let organisation, let completedAt
        else {
            throw CoreError(.invalidCompletion, "invalid completion", problems: reader.problems)
        }
        self.externalID = externalID
        self.learnerID = learnerID
        self.learnerName = learnerName
        self.courseID = courseID
        self.courseTitle = courseTitle
        self.organisation = organisation
        self.completedAt = completedAt
        self.score = score
        self.template = template
        self.locale = locale ?? CompletionRules.defaultLocale
        self.programID = programID
        self.programTitle = programTitle
    }

    /// Parses one JSON document and validates it; malformed JSON is reported as a problem with field `$`.
    package init(json data: Data) throws {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CoreError(
                .invalidCompletion,
                "invalid completion",
                problems: [FieldProblem(field: "$", message: "is not valid JSON")],
                underlying: error
            )
        }
        try self.init(validating: value)
    }
}

/// Reads fields from a JSON object and collects a problem for each one that breaks its rule.
private struct FieldReader {
    let object: [String: JSONValue]
    var problems: [FieldProblem] = []

    mutating func problem(_ key: Completion.CodingKeys, _ message: String) {
        self.problems.append(FieldProblem(field: key.rawValue, message: message))
    }

    func present(_ key: Completion.CodingKeys) -> JSONValue? {
        switch self.object[key.rawValue] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    mutating func text(_ key: Completion.CodingKeys, length: ClosedRange<Int>, required: Bool) -> String? {
        guard let value = self.present(key) else {
            if required { self.problem(key, "is required") }
            return nil
        }
        guard case .string(let raw) = value else {
            self.problem(key, "must be a string, not \(value.typeName)")
            return nil
        }
        let text = CompletionRules.normalised(raw)
        if let reason = CompletionRules.unprintableCharacter(in: text) {
            self.problem(key, reason)
            return nil
        }
        let count = text.unicodeScalars.count
        guard length.contains(count) else {
            if count == 0 {
                self.problem(key, required ? "is required and must not be blank" : "must not be blank")
            } else {
                self.problem(
                    key,
                    "must be \(length.lowerBound)–\(length.upperBound) characters after trimming, not \(count)"
                )
            }
            return nil
        }
        return text
    }

    mutating func timestamp(_ key: Completion.CodingKeys) -> Timestamp? {
        guard let value = self.present(key) else {
            self.problem(key, "is required")
            return nil
        }
        guard case .string(let text) = value else {
            self.problem(key, "must be an RFC 3339 timestamp string, not \(value.typeName)")
            return nil
        }
        do {
            return try Timestamp(rfc3339: text.trimmingCharacters(in: .whitespaces))
        } catch let error as CoreError {
            self.problem(key, "is \(error.message)")
        } catch {
            self.problem(key, "is not an RFC 3339 timestamp")
        }
        return nil
    }

    mutating func score(_ key: Completion.CodingKeys) -> Double? {
        guard let value = self.present(key) else { return nil }
        guard case .number(let score) = value else {
            self.problem(key, "must be a number from 0 to 1, not \(value.typeName)")
            return nil
        }
        guard score.isFinite, CompletionRules.scoreRange.contains(score) else {
            self.problem(key, "must be from 0 to 1 (a fraction, not a percentage)")
            return nil
        }
        return score
    }
}
