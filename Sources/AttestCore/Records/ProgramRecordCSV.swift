// Attest — certificates and documents you can verify. Apache-2.0.

/// A program record as CSV (RFC 4180): UTF-8 with a byte order mark so that spreadsheet programs read non-Latin
/// names right, a header row, one row per course, CRLF line ends, and fields quoted when they hold a comma, a
/// quote, CR or LF.
///
/// A text field that starts with `=`, `+`, `-`, `@`, tab or CR would be run as a formula by spreadsheet
/// programs (CSV injection: names come from outside); such a field gets a leading apostrophe, as OWASP advises.
package enum ProgramRecordCSV {
    /// The header row's column names.
    package static let header = [
        "program_id", "program_title", "learner_id", "learner_name", "position", "course_id", "course_title",
        "status", "grade", "completed_on", "verification_url",
    ]

    /// The UTF-8 bytes of the whole file, BOM first.
    package static func document(_ record: ProgramRecord) -> [UInt8] {
        var text = self.line(self.header)
        for course in record.courses {
            text += self.line([
                self.neutralised(record.program.id),
                self.neutralised(record.program.title),
                self.neutralised(record.learnerID),
                self.neutralised(record.learnerName),
                String(course.position),
                self.neutralised(course.courseID),
                self.neutralised(course.title),
                course.status.label,
                course.grade ?? "",
                course.completedOn?.description ?? "",
                course.verificationURL ?? "",
            ])
        }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    /// The fields as one CRLF-terminated line.
    static func line(_ fields: [String]) -> String {
        fields.map(self.quoted).joined(separator: ",") + "\r\n"
    }

    /// The field, in double quotes (inner quotes doubled) when it holds a comma, a quote, CR or LF.
    static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return field }
        var quoted = "\""
        for character in field.unicodeScalars {
            if character == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "\""
    }

    /// The text with an apostrophe in front when a spreadsheet would take it for a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}
