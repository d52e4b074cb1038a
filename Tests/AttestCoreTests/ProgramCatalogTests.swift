// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Testing

@Suite("program catalog files")
struct ProgramCatalogTests {
    private func problems(_ text: String) -> [FieldProblem] {
        do {
            _ = try ProgramCatalog(json: Array(text.utf8))
            return []
        } catch let error as CoreError {
            return error.problems
        } catch {
            return [FieldProblem(field: "?", message: "\(error)")]
        }
    }

    @Test("a valid file gives its programs and courses in order, trimmed and normalised")
    func valid() throws {
        let catalog = try ProgramCatalog(
            json: Array(
                """
                {"programs": [
                  {"id": "data", "title": " Data Analysis ", "organisation": "Academy", "type": "Professional Certificate",
                   "courses": [{"course_id": "stats", "title": "Statistics"}, {"course_id": "viz", "title": "Cafe\\u0301"}]},
                  {"id": "ops", "title": "Operations", "organisation": "Academy", "type": null,
                   "courses": [{"course_id": "stats", "title": "Statistics"}]}
                ]}
                """.utf8
            )
        )
        #expect(catalog.programs.map(\.id) == ["data", "ops"])
        #expect(catalog.programs[0].title == "Data Analysis")
        #expect(catalog.programs[0].courses.map(\.courseID) == ["stats", "viz"])
        #expect(catalog.programs[0].courses[1].title == "Café")
        #expect(catalog.programs[1].type == nil)
    }

    @Test("every problem is reported with its line and field path")
    func problems() {
        let found = self.problems(
            """
            {"programs": [
              {"id": "data", "title": "Data", "organisation": "Academy",
               "courses": [
                 {"course_id": "stats", "title": "Statistics"},
                 {"course_id": "stats", "title": "Again"},
                 {"course_id": "viz", "title": 3}
               ]},
              {"id": "data", "title": "", "organisation": "Academy", "courses": [], "colour": "red"}
            ]}
            """
        )
        let described = found.map(\.description)
        #expect(described.contains { $0.hasPrefix("line 5, ") && $0.contains("programs[0].courses[1].course_id") })
        #expect(
            described.contains {
                $0.hasPrefix("line 6, ") && $0.contains("programs[0].courses[2].title: must be a string")
            }
        )
        #expect(described.contains { $0.hasPrefix("line 8, ") && $0.contains("programs[1].title: must not be blank") })
        #expect(described.contains { $0.hasPrefix("line 8, ") && $0.contains("programs[1].courses: must list 1 to") })
        #expect(
            described.contains { $0.hasPrefix("line 8, ") && $0.contains("programs[1].colour: is not a catalog field") }
        )
        #expect(described.contains { $0.hasPrefix("line 8, ") && $0.contains("programs[1].id: \"data\" is already") })
    }

    @Test("the wrong shape at the top, missing fields and control characters are problems too")
    func shapes() {
        #expect(self.problems("[]").first?.description == "line 1, column 1: $: must be an object, not an array")
        #expect(self.problems("{}").first?.field == "programs")
        #expect(self.problems(#"{"programs": []}"#).first?.message == "must list at least one program")
        let missing = self.problems(#"{"programs": [{"id": "x", "courses": [{"course_id": "c"}]}]}"#)
        #expect(
            Set(missing.map(\.field)) == [
                "programs[0].title", "programs[0].organisation", "programs[0].courses[0].title",
            ]
        )
        let bell = self.problems(
            #"{"programs": [{"id": "x\u0007", "title": "t", "organisation": "o", "courses": [{"course_id": "c", "title": "t"}]}]}"#
        )
        #expect(bell.first?.field == "programs[0].id")
    }
}
