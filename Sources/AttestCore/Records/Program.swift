// Attest — certificates and documents you can verify. Apache-2.0.

/// A program of the catalog (a professional certificate, a MicroMasters…): what its record is titled and which
/// courses, in order, it is made of.
package struct Program: Sendable, Hashable {
    /// The catalog's id for the program, 1–200 characters.
    package var id: String
    package var title: String
    /// The organisation that runs the program.
    package var organisation: String
    /// The kind of program, such as "Professional Certificate"; nil when the catalog names none.
    package var type: String?
    /// The program's courses in the catalog's order; never empty.
    package var courses: [ProgramCourse]

    package init(id: String, title: String, organisation: String, type: String?, courses: [ProgramCourse]) {
        self.id = id
        self.title = title
        self.organisation = organisation
        self.type = type
        self.courses = courses
    }
}
