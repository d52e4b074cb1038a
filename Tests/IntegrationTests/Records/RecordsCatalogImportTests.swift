// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

/// `attest programs import`: idempotent updates, and malformed files that report their line and field and change
/// nothing.
@Suite("program catalog import", .requiresDatabase, .serialized)
struct RecordsCatalogImportTests {
    /// Everything the catalog tables hold, in a stable order.
    private func snapshot(_ pool: PGPool) async throws -> [String] {
        let programs = try await pool.query(
            """
            SELECT id, title, organisation, coalesce(type, '-') AS type, updated_at::text AS updated
            FROM attest.programs ORDER BY id
            """
        )
        let courses = try await pool.query(
            """
            SELECT program_id || '|' || position || '|' || course_id || '|' || title AS line
            FROM attest.program_courses ORDER BY program_id, position
            """
        )
        let programLines = try programs.map { row in
            try ["id", "title", "organisation", "type", "updated"].map { try row.decode($0, as: String.self) }
                .joined(separator: "|")
        }
        return try programLines + courses.map { try $0.decode("line", as: String.self) }
    }

    private func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test("importing is idempotent, updates titles and replaces course lists in order")
    func updates() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("catalog")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let environment = ["DATABASE_URL": database.url, "ATTEST_LOG_LEVEL": "warning"]
            let file = try self.write(RecordsFixture.catalog, "catalog.json", in: directory)
            let first = try await attest(["programs", "import", file], environment)
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("created 3, updated 0, unchanged 0"))
            let before = try await self.snapshot(pool)
            let again = try await attest(["programs", "import", file], environment)
            #expect(again.standardOutput.contains("created 0, updated 0, unchanged 3"))
            #expect(try await self.snapshot(pool) == before)

            let changed = try self.write(
                #"{"programs": [{"id": "data-analysis", "title": "Data Analysis II", "organisation": "Attest Test Academy", "type": "Professional Certificate", "courses": [{"course_id": "da-5", "title": "Databases"}, {"course_id": "da-1", "title": "Statistics"}]}]}"#,
                "changed.json",
                in: directory
            )
            let update = try await attest(["programs", "import", changed], environment)
            #expect(update.standardOutput.contains("created 0, updated 1, unchanged 0"), "\(update.standardError)")
            let program = try await pool.withConnection {
                try await ProgramRepository().find(id: "data-analysis", on: $0)
            }
            #expect(program?.title == "Data Analysis II")
            #expect(program?.courses.map(\.courseID) == ["da-5", "da-1"])
            let others = try await pool.withConnection { try await ProgramRepository().find(id: "operations", on: $0) }
            #expect(others?.courses.count == 12)
        }
    }

    @Test("a malformed file reports the line and field and changes nothing")
    func malformed() async throws {
        let directory = try PipelineTestSupport.temporaryDirectory("catalog-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let environment = ["DATABASE_URL": database.url, "ATTEST_LOG_LEVEL": "warning"]
            let good = try self.write(RecordsFixture.catalog, "catalog.json", in: directory)
            #expect(try await attest(["programs", "import", good], environment).status == 0)
            let before = try await self.snapshot(pool)

            // Not JSON: a missing comma on line 4.
            let syntax = try self.write(
                """
                {"programs": [
                  {"id": "data-analysis", "title": "Changed", "organisation": "Attest Test Academy",
                   "courses": [{"course_id": "da-1", "title": "Statistics"}]}
                  {"id": "new-program", "title": "New", "organisation": "Attest Test Academy", "courses": []}
                ]}
                """,
                "syntax.json",
                in: directory
            )
            let broken = try await attest(["programs", "import", syntax], environment)
            #expect(broken.status == 1)
            #expect(
                broken.standardError.contains("line 4, column 3: programs[0]: expected ',' or ']'"),
                "\(broken.standardError)"
            )
            #expect(broken.standardError.contains("nothing was imported"))
            #expect(try await self.snapshot(pool) == before)

            // Valid JSON, but the second program breaks the rules: the first one's change is not applied either.
            let rules = try self.write(
                """
                {"programs": [
                  {"id": "data-analysis", "title": "Changed", "organisation": "Attest Test Academy",
                   "courses": [{"course_id": "da-1", "title": "Statistics"}]},
                  {"id": "new-program", "title": "New", "organisation": "Attest Test Academy",
                   "courses": [{"course_id": "x-1", "title": 42}]}
                ]}
                """,
                "rules.json",
                in: directory
            )
            let invalid = try await attest(["programs", "import", rules], environment)
            #expect(invalid.status == 1)
            #expect(invalid.standardError.contains("line 5, column "), "\(invalid.standardError)")
            #expect(invalid.standardError.contains("programs[1].courses[0].title: must be a string, not a number"))
            #expect(try await self.snapshot(pool) == before)

            let missing = try await attest(
                ["programs", "import", directory.appendingPathComponent("absent.json").path],
                environment
            )
            #expect(missing.status == 1)
            #expect(try await self.snapshot(pool) == before)
        }
    }
}
