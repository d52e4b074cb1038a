// Attest — certificates and documents you can verify. Apache-2.0.

/// The program catalog file `attest programs import` loads: which programs exist and which courses each has.
///
/// ```json
/// {"programs": [{"id": "data-analysis", "title": "Data Analysis", "organisation": "Attest Academy",
///                "type": "Professional Certificate",
///                "courses": [{"course_id": "stats-101", "title": "Statistics"}]}]}
/// ```
package struct ProgramCatalog: Sendable, Hashable {
    /// Programs in file order; ids are unique.
    package var programs: [Program]

    /// The most courses one program may list.
    package static let maximumCourses = 1_000
    /// Length limits of a program's type, in characters after trimming.
    package static let typeLength = 1...100

    /// Parses and validates a catalog file; every problem is reported with its line and field, and nothing is
    /// returned unless the whole file is valid.
    package init(json bytes: [UInt8]) throws {
        let document = try LocatedJSON.parse(bytes)
        var validator = ProgramCatalogValidator()
        let programs = validator.catalog(document)
        guard validator.problems.isEmpty, let programs else {
            throw CoreError(.invalidCatalog, "invalid program catalog", problems: validator.problems)
        }
        self.programs = programs
    }
}
