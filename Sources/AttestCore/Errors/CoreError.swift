// Attest — certificates and documents you can verify. Apache-2.0.

/// The one error AttestCore throws: a rule of the domain was broken, with every problem found.
package struct CoreError: Error, CustomStringConvertible {
    /// What kind of rule was broken.
    package enum Code: String, Sendable {
        /// A completion failed validation; `problems` lists each field.
        case invalidCompletion = "invalid_completion"
        /// A timestamp is not RFC 3339.
        case invalidTimestamp = "invalid_timestamp"
    }

    /// What kind of rule was broken.
    package var code: Code
    /// A sentence for operators; never contains secrets or paths.
    package var message: String
    /// Every field that is wrong, in the order the contract lists the fields.
    package var problems: [FieldProblem]
    /// The error that caused this one, if any (for example the JSON decoder's).
    package var underlying: (any Error)?
    /// Where the error was created.
    package var file: String
    /// Where the error was created.
    package var line: Int

    package init(
        _ code: Code,
        _ message: String,
        problems: [FieldProblem] = [],
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.problems = problems
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    package var description: String {
        guard !self.problems.isEmpty else { return self.message }
        return self.message + ": " + self.problems.map(\.description).joined(separator: "; ")
    }
}

/// One problem with one field of an input, such as `learner_name: is required`.
package struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    /// The field's name as it appears in the input (snake_case JSON key); `$` for the whole value.
    package var field: String
    /// What is wrong, phrased to follow the field name.
    package var message: String

    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    package var description: String { "\(self.field): \(self.message)" }
}
