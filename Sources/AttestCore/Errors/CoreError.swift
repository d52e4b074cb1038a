// Attest — certificates and documents you can verify. Apache-2.0.

/// The one error AttestCore throws: a rule of the domain was broken, with every problem found.
package struct CoreError: Error, CustomStringConvertible {
    /// What kind of rule was broken.
    package enum Code: String, Sendable {
        /// A completion failed validation; `problems` lists each field.
        case invalidCompletion = "invalid_completion"
        /// A timestamp is not RFC 3339.
        case invalidTimestamp = "invalid_timestamp"
        /// A file is not valid JSON; the one problem names the line, column and field.
        case malformedJSON = "malformed_json"
        /// A program catalog failed validation; `problems` lists each field with its line.
        case invalidCatalog = "invalid_catalog"
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

/// One problem with one field of an input, such as `learner_name: is required`, or
/// `line 4, column 7: programs[0].title: must be a string` in a file.
package struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    /// The field's name as it appears in the input (snake_case JSON key); `$` for the whole value. In a file,
    /// a path such as `programs[1].courses[0].course_id`.
    package var field: String
    /// What is wrong, phrased to follow the field name.
    package var message: String
    /// 1-based line in the input file, when the input is a file.
    package var line: Int?
    /// 1-based column in the input file, when the input is a file.
    package var column: Int?

    package init(field: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.field = field
        self.message = message
        self.line = line
        self.column = column
    }

    package var description: String {
        let position =
            switch (self.line, self.column) {
            case (let line?, let column?): "line \(line), column \(column): "
            case (let line?, nil): "line \(line): "
            default: ""
            }
        return "\(position)\(self.field): \(self.message)"
    }
}
