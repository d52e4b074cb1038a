// Attest — certificates and documents you can verify. Apache-2.0.

/// One course of a program, as the catalog lists it; completions with its `course_id` count towards the program.
package struct ProgramCourse: Sendable, Hashable {
    /// Matches `course_id` of completions.
    package var courseID: String
    package var title: String

    package init(courseID: String, title: String) {
        self.courseID = courseID
        self.title = title
    }
}
