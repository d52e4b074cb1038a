// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Testing

@Suite("JSON with positions")
struct LocatedJSONTests {
    private func parse(_ text: String) throws -> LocatedJSON {
        try LocatedJSON.parse(Array(text.utf8))
    }

    private func problem(_ text: String) -> FieldProblem? {
        do {
            _ = try self.parse(text)
            return nil
        } catch let error as CoreError {
            return error.problems.first
        } catch {
            return nil
        }
    }

    @Test("values keep the line and column where they start, and strings decode every escape")
    func positions() throws {
        let document = try self.parse(
            "\u{FEFF}{\n  \"a\": [1, -2.5e1, true],\n  \"é\": \"x\\u00e9\\ud83d\\ude00\\n\"\n}"
        )
        guard case .object(let members) = document.value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "é"])
        #expect(members[0].value.line == 2)
        #expect(members[0].value.column == 8)
        guard case .array(let elements) = members[0].value.value, case .number(let number) = elements[1].value else {
            Issue.record("not an array of numbers")
            return
        }
        #expect(number == -25)
        #expect(members[1].value.line == 3)
        #expect(members[1].value.column == 8)
        guard case .string(let text) = members[1].value.value else {
            Issue.record("not a string")
            return
        }
        #expect(text == "xé😀\n")
    }

    @Test("a syntax error names its line, column and the field the parser was in")
    func syntaxErrors() {
        let missingComma = self.problem("{\n  \"programs\": [\n    {\"id\": \"a\"\n     \"title\": \"x\"}\n  ]\n}")
        #expect(missingComma?.line == 4)
        #expect(missingComma?.field == "programs[0].id")
        #expect(missingComma?.message.contains("expected ',' or '}'") == true)

        let trailing = self.problem("{\"a\": 1,}")
        #expect(trailing?.line == 1)
        #expect(trailing?.column == 9)

        #expect(self.problem("") != nil)
        #expect(self.problem("{\"a\": 01}") != nil)
        #expect(self.problem("{\"a\": \"tab\there\"}")?.message.contains("control character") == true)
        #expect(self.problem("[1] [2]")?.message.contains("after the end") == true)
        #expect(self.problem("{\"a\": \"\\ud800\"}") != nil)
        #expect(self.problem(String(repeating: "[", count: 500)) != nil)
    }
}
