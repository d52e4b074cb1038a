// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestDatabase
import AttestPQ
import Foundation

/// `attest records …`: learners' program records (computed from the catalog and their certificates) and their
/// share links.
struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Show learners' program records and manage their share links.",
        subcommands: [List.self, Show.self, Share.self, Unshare.self, Shares.self]
    )

    /// `attest records list --learner ID`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the programs a learner has started, with progress and share links."
        )

        @OptionGroup var common: CommonOptions
        @Option(help: "The learner's id (learner_id of their completions).") var learner: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let settings = try self.common.settings()
            let programs = try await withDatabaseConnection(settings) { connection in
                try await ProgramRecordRepository(publicBaseURL: settings.publicBaseURL).progress(
                    learnerID: self.learner,
                    on: connection
                )
            }
            if self.json { return try printJSON(programs) }
            if programs.isEmpty { print("learner \(self.learner) has started no program of the catalog") }
            for program in programs {
                let share = program.shareURL.map { "  shared: \($0)" } ?? ""
                print("\(program.programID)  \(program.earned) of \(program.total) earned  \(program.title)\(share)")
            }
        }
    }

    /// `attest records show --learner ID --program ID [--csv FILE] [--pdf FILE] [--json]`
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a learner's record in one program; optionally write it as CSV and PDF.",
            discussion: """
                Each course of the program, in order: earned (an issued, valid certificate), revoked, or not \
                earned; the grade is the best score among the learner's valid certificates for the course. The \
                PDF's QR code opens the record's share link; a record that is not shared (or with records switched off) gets a PDF without one.
                """
        )

        @OptionGroup var common: CommonOptions
        @Option(help: "The learner's id.") var learner: String
        @Option(help: "The program's id in the catalog.") var program: String
        @Option(help: ArgumentHelp("Also write the record as CSV here.", valueName: "file")) var csv: String?
        @Option(help: ArgumentHelp("Also write the record as a PDF transcript here.", valueName: "file"))
        var pdf: String?
        @Option(help: ArgumentHelp("Fonts directory (with fonts.conf). Overrides ATTEST_FONTS_DIR.", valueName: "dir"))
        var fontsDir: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let settings = try self.common.settings()
            let printer = try self.pdf.map { _ in
                try TranscriptPrinter(fontsDirectory: self.fontsDir ?? settings.fontsDirectory)
            }
            let (record, share) = try await withDatabaseConnection(settings) { connection in
                let record = try await ProgramRecordRepository(publicBaseURL: settings.publicBaseURL).record(
                    learnerID: self.learner,
                    programID: self.program,
                    on: connection
                )
                let share = try await RecordShareRepository().findActive(
                    learnerID: self.learner,
                    programID: self.program,
                    on: connection
                )
                return (record, share)
            }
            guard let record else { throw recordNotFound(learner: self.learner, program: self.program) }
            if let csv = self.csv {
                try writeFile(ProgramRecordCSV.document(record), to: csv)
            }
            if let pdf = self.pdf, let printer {
                // With records switched off the share link answers 404, so the PDF does not point at it.
                let url = settings.recordsEnabled ? share.map { $0.url(publicBaseURL: settings.publicBaseURL) } : nil
                try writeFile(try await printer.pdf(record, recordURL: url), to: pdf)
            }
            if self.json { return try printJSON(record) }
            print(describe(record, shareURL: share.map { $0.url(publicBaseURL: settings.publicBaseURL) }))
        }
    }

    /// `attest records share --learner ID --program ID`
    struct Share: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public share link of a learner's program record, creating it if needed.",
            discussion: """
                Anyone with the link ATTEST_PUBLIC_URL/r/<token> can view the record, without logging in. \
                Sharing again returns the same link until it is taken back with `attest records unshare`. \
                Refused when ATTEST_RECORDS_ENABLED is false.
                """
        )

        @OptionGroup var common: CommonOptions
        @Option(help: "The learner's id.") var learner: String
        @Option(help: "The program's id in the catalog.") var program: String
        @Option(help: "Who asks for the link, for the audit. Defaults to the user running the command.")
        var `operator`: String?

        func run() async throws {
            let settings = try self.common.settings()
            guard settings.recordsEnabled else { throw recordsDisabled }
            let actor = operatorName(self.operator)
            let share = try await withDatabaseConnection(settings) { connection in
                try await connection.transaction { connection in
                    let record = try await ProgramRecordRepository(publicBaseURL: settings.publicBaseURL).record(
                        learnerID: self.learner,
                        programID: self.program,
                        on: connection
                    )
                    guard record != nil else { return nil as RecordShare? }
                    return try await RecordShareRepository().share(
                        learnerID: self.learner,
                        programID: self.program,
                        createdBy: actor,
                        on: connection
                    ).share
                }
            }
            guard let share else { throw recordNotFound(learner: self.learner, program: self.program) }
            print(share.url(publicBaseURL: settings.publicBaseURL))
        }
    }

    /// `attest records unshare TOKEN`
    struct Unshare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a share link back: it answers 404 from now on.",
            discussion: """
                Accepts the token or the whole link. The share stays in the audit with who took it back and \
                when; sharing the record again makes a new link, and this one stays dead. Works also when \
                ATTEST_RECORDS_ENABLED is false, so that a link can always be taken back.
                """
        )

        @OptionGroup var common: CommonOptions
        @Argument(help: "The share token, or the link ending in it.") var token: String
        @Option(help: "Who takes the link back, for the audit. Defaults to the user running the command.")
        var `operator`: String?

        func run() async throws {
            let settings = try self.common.settings()
            let text = self.token.split(separator: "/").last.map(String.init) ?? self.token
            guard let token = ShareToken(parsing: text) else {
                throw CommandFailure("no active share has the token \(text)")
            }
            let actor = operatorName(self.operator)
            let revoked = try await withDatabaseConnection(settings) { connection in
                try await RecordShareRepository().revoke(token: token, revokedBy: actor, on: connection)
            }
            guard let revoked else {
                throw CommandFailure("no active share has the token \(token.text) (unknown, or already taken back)")
            }
            print("unshared the record of learner \(revoked.learnerID) in program \(revoked.programID)")
        }
    }
}

// MARK: - Helpers

/// Why `attest records share` refuses when records are switched off.
let recordsDisabled = CommandFailure(
    "program records are switched off (ATTEST_RECORDS_ENABLED=false): share links cannot be created"
)

/// The failure for a record that cannot be computed.
func recordNotFound(learner: String, program: String) -> CommandFailure {
    CommandFailure(
        "no record for learner \(learner) in program \(program): the program is not in the catalog "
            + "(attest programs import) or the learner has no completion"
    )
}

/// `operator:NAME` for the audit: the given name, or the user running the command.
func operatorName(_ name: String?) -> String {
    let user = name ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    return "operator:" + String(user.prefix(180))
}

/// Writes a file the user asked for; a failure is a plain message.
func writeFile(_ bytes: [UInt8], to path: String) throws {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
    }
}

/// A record as a table for people.
func describe(_ record: ProgramRecord, shareURL: String?) -> String {
    var lines = [
        "program:   \(record.program.title) (\(record.program.id))"
            + (record.program.type.map { ", \($0)" } ?? "") + " — \(record.program.organisation)",
        "learner:   \(record.learnerName) (\(record.learnerID))",
        "progress:  \(record.summary)",
        "shared:    \(shareURL ?? "no")",
        "",
        " #  " + "status".padded(to: 11) + "grade".padded(to: 7) + "completed".padded(to: 12) + "course",
    ]
    for course in record.courses {
        lines.append(
            String(course.position).leftPadded(to: 2) + "  " + course.status.label.padded(to: 11)
                + (course.grade ?? "–").padded(to: 7) + (course.completedOn?.description ?? "–").padded(to: 12)
                + course.title + (course.verificationURL.map { "  \($0)" } ?? "")
        )
    }
    return lines.joined(separator: "\n")
}

extension String {
    /// Right-aligned in a column of `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: " ", count: width - self.count) + self
    }
}
