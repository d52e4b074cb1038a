// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import Foundation
import Testing

@testable import AttestApp

@Suite("purge selection")
struct PurgeSelectionTests {
    private func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attest-purge-\(UUID().uuidString).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("a learners file: one id per line, trimmed, blank lines and # comments skipped, repeats once, ids as text")
    func readsLearnersFile() throws {
        let path = try self.file(
            "# retired in May\n\n  007  \n7\r\n12345678901234567890\nZoë Ångström\n  # indented\n007\nid#1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            try PurgeSelection.reading(learnersFile: path)
                == .learners(["007", "7", "12345678901234567890", "Zoë Ångström", "id#1"])
        )
    }

    @Test("a learners file without any id is a usage error")
    func emptyLearnersFile() throws {
        let path = try self.file("# nobody\n\n   \n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ValidationError.self) { try PurgeSelection.reading(learnersFile: path) }
    }

    @Test("codes are upper-cased when well-formed and kept as given otherwise, each once")
    func certificateCodes() {
        let code = "7K2M9QXW4R8T1V6B3N5P0C2D9F"
        #expect(
            PurgeSelection.certificates([code.lowercased(), code, "not-a-code"]).certificateCodes
                == [code, "not-a-code"]
        )
    }

    @Test("the recorded command line never holds the database URL")
    func redactsDatabaseURL() {
        #expect(
            PurgePDFsCommand.redacted([
                "purge-pdfs", "--database-url", "postgres://u:secret@h/db", "--database-url=postgres://u:secret@h/db",
                "--learner", "x",
            ]) == ["purge-pdfs", "--database-url", "[redacted]", "--database-url=[redacted]", "--learner", "x"]
        )
    }

    @Test(
        "exactly one kind of selection; --history takes none",
        arguments: [
            ["--yes"],
            ["--learner", "a", "--certificate", "b", "--yes"],
            ["--learner", "a", "--learners-file", "f", "--yes"],
            ["--history", "--learner", "a"],
            ["--history", "--dry-run"],
            ["--learner", "a", "--json", "--yes"],
            ["--learner", "a", "--batch-size", "0", "--yes"],
        ])
    func usageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { try PurgePDFsCommand.parse(arguments) }
    }

    @Test("ids that look like options or numbers stay text")
    func parsesIDs() throws {
        let command = try PurgePDFsCommand.parse(["--learner", "007", "42", "--learner=-5", "--dry-run"])
        #expect(command.learners == ["007", "42", "-5"])
    }
}
