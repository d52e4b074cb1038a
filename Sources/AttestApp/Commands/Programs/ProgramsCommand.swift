// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestDatabase
import Foundation

/// `attest programs …`: the program catalog that program records are computed from.
struct ProgramsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programs",
        abstract: "Manage the program catalog.",
        subcommands: [Import.self]
    )

    /// `attest programs import FILE.json`
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Load or update the program catalog from a JSON file.",
            discussion: """
                The file is {"programs": [{"id", "title", "organisation", "type" (optional), "courses": \
                [{"course_id", "title"}, …]}, …]}, courses in the program's order. Each program in the file is \
                created or updated and its course list replaced; programs the file does not name stay. Running \
                the same file again changes nothing. A file with any problem changes nothing: every problem is \
                printed with its line and field, and the command exits 1.
                """
        )

        @OptionGroup var common: CommonOptions
        @Argument(help: ArgumentHelp("The catalog JSON file, or - for standard input.", valueName: "file"))
        var file: String

        func run() async throws {
            let settings = try self.common.settings()
            let bytes: Data?
            if self.file == "-" {
                bytes = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                bytes = FileManager.default.contents(atPath: self.file)
            }
            guard let bytes else { throw CommandFailure("cannot read \(self.file)") }
            let catalog: ProgramCatalog
            do {
                catalog = try ProgramCatalog(json: Array(bytes))
            } catch let error as CoreError {
                let lines = error.problems.map { "  \($0)" }
                throw CommandFailure(
                    (["\(self.file) is not a valid program catalog; nothing was imported:"] + lines)
                        .joined(separator: "\n")
                )
            }
            let report = try await withDatabaseConnection(settings) { connection in
                try await ProgramRepository().importCatalog(catalog, on: connection)
            }
            print(
                "imported \(catalog.programs.count) program(s) from \(self.file): created \(report.created.count), "
                    + "updated \(report.updated.count), unchanged \(report.unchanged.count)"
            )
        }
    }
}
