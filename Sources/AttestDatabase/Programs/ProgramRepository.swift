// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore
public import AttestPQ

/// The program catalog in the database: importing a catalog file (programs upserted, each one's course list
/// replaced) and reading programs back.
public struct ProgramRepository: Sendable {
    /// What one import changed.
    public struct ImportReport: Sendable, Equatable {
        /// Ids of programs that were new.
        public var created: [String] = []
        /// Ids of programs whose title, organisation, type or courses changed.
        public var updated: [String] = []
        /// Ids of programs the file describes exactly as they were.
        public var unchanged: [String] = []
    }

    public init() {}

    /// Imports a whole catalog in one transaction: every program of the file is created or brought up to date
    /// (its ordered course list replaced); programs the file does not mention stay as they are. Running the same
    /// file again changes nothing. Concurrent imports run one after the other.
    package func importCatalog(_ catalog: ProgramCatalog, on connection: PGConnection) async throws -> ImportReport {
        try await connection.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('attest.programs.import'))")
            var report = ImportReport()
            for program in catalog.programs {
                switch try await self.store(program, on: connection) {
                case .created: report.created.append(program.id)
                case .updated: report.updated.append(program.id)
                case .unchanged: report.unchanged.append(program.id)
                }
            }
            return report
        }
    }

    /// The program with this id and its courses in order, or nil.
    package func find(id: String, on connection: PGConnection) async throws -> Program? {
        guard
            let row = try await connection.query(
                "SELECT id, title, organisation, type FROM attest.programs WHERE id = $1",
                [id]
            ).first
        else { return nil }
        return Program(
            id: try row.decode("id"),
            title: try row.decode("title"),
            organisation: try row.decode("organisation"),
            type: try row.decode("type"),
            courses: try await self.courses(programID: id, on: connection)
        )
    }

    // MARK: - Storing one program

    /// What storing one program of the file did.
    private enum Change {
        case created, updated, unchanged
    }

    private func store(_ program: Program, on connection: PGConnection) async throws -> Change {
        let existing = try await self.find(id: program.id, on: connection)
        if existing == program { return .unchanged }
        try await connection.query(
            """
            INSERT INTO attest.programs (id, title, organisation, type) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, organisation = excluded.organisation,
                type = excluded.type, updated_at = now()
            """,
            [program.id, program.title, program.organisation, program.type]
        )
        if existing?.courses != program.courses {
            try await connection.query("DELETE FROM attest.program_courses WHERE program_id = $1", [program.id])
            try await connection.query(
                """
                INSERT INTO attest.program_courses (program_id, position, course_id, title)
                SELECT $1, input.position, input.course_id, input.title
                FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS input(course_id, title, position)
                """,
                [program.id, PGArray(program.courses.map(\.courseID)), PGArray(program.courses.map(\.title))]
            )
        }
        return existing == nil ? .created : .updated
    }

    private func courses(programID: String, on connection: PGConnection) async throws -> [ProgramCourse] {
        try await connection.query(
            "SELECT course_id, title FROM attest.program_courses WHERE program_id = $1 ORDER BY position",
            [programID]
        ).map { ProgramCourse(courseID: try $0.decode("course_id"), title: try $0.decode("title")) }
    }
}
