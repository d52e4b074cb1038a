// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestDatabase
import AttestFiles
import AttestPQ
import Foundation
import Logging

/// `attest purge-pdfs`: deletes retired learners' certificate files and clears their links, keeping the
/// certificates themselves, with an audit trail; `--history` lists earlier runs.
struct PurgePDFsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge-pdfs",
        abstract: "Delete the PDF files of retired learners' certificates; the certificates stay valid.",
        usage: """
            attest purge-pdfs (--learner <id> ... | --learners-file <file> | --certificate <code> ...) \
            [--dry-run] [--yes] [--operator <name>]
            attest purge-pdfs --history [--run <id>] [--limit <n>] [--json]
            """,
        discussion: """
            For each selected certificate that still has a document, deletes its PDF from the storage root \
            (ATTEST_STORAGE_DIR) and clears its link: document_path becomes empty and document_purged_at is \
            set. The certificate is not revoked or deleted: its status, verification code, learner name, course \
            and dates stay exactly as they were, and its verification page keeps saying whether it is valid.

            SELECTING. --learner (repeatable, or several ids after one flag) and --learners-file select every \
            certificate of those learners; --certificate selects certificates by verification code. Learner ids \
            are compared as exact text: `007` and `7` are different learners. A learners file has one id per \
            line; surrounding spaces are trimmed, blank lines and lines starting with # are ignored. Ids without \
            any certificate and unknown codes are listed as `not found`.

            SAFETY. --dry-run prints what would happen to each certificate (file, size, whether the file is \
            there) and the summary, exits as the real run would (1 if a row would be refused or is pending), and \
            changes nothing: no file, no row, no audit entry. On a terminal the command shows the \
            counts and asks for confirmation unless --yes is given; elsewhere (scripts, cron) --yes is required. \
            Only files inside the storage root are ever deleted: a row whose path leaves the root (absolute, \
            `..`, a symbolic link) is refused, reported and left unchanged, and so is a file whose SHA-256 is \
            not the one recorded for the certificate (a row pointed at another certificate's file). \
            Certificates still being rendered are not purged (reported as pending). Only one purge runs at a \
            time per database.

            CRASH SAFETY. Per batch, the intent is recorded in attest.purge_items before any file is touched, \
            then the files are deleted, then the links are cleared and the outcomes recorded in one \
            transaction. If the command is killed, run it again with the same selection: it marks the earlier \
            run interrupted, finishes the rest, and reports what was already purged and which files the \
            interrupted run had already deleted.

            OUTPUT. One line per certificate (deleted, file missing, already purged, refused, pending, error) \
            and per unknown id, a progress line on standard error when it is a terminal, then a summary: \
            certificates purged, files deleted, bytes freed, files already missing, already purged, not found, \
            errors. Exits 1 if any certificate could not be purged (refused, pending or error), 64 on a usage \
            error; unknown ids and missing files are reported but are not failures.

            AUDIT. attest.purge_runs records who ran it (operating-system user and --operator), where, when, \
            the arguments and the counts; attest.purge_items records each certificate's file and outcome. \
            --history lists the runs, newest first; --history --run ID lists what one run did.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(
        name: .customLong("learner"),
        parsing: .upToNextOption,
        help: ArgumentHelp("Purge every certificate of this learner (exact learner_id). Repeatable.", valueName: "id")
    )
    var learners: [String] = []

    @Option(
        help: ArgumentHelp(
            "Purge the certificates of the learners in this file: one id per line, # comments.",
            valueName: "file"
        )
    )
    var learnersFile: String?

    @Option(
        name: .customLong("certificate"),
        parsing: .upToNextOption,
        help: ArgumentHelp("Purge the certificate with this verification code. Repeatable.", valueName: "code")
    )
    var certificates: [String] = []

    @Flag(help: "Print what would be purged and change nothing (no file, no row, no audit entry).")
    var dryRun = false

    @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation; required when not on a terminal.")
    var yes = false

    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp("Your name, for the audit trail (the OS user is recorded too).", valueName: "name")
    )
    var operatorName: String?

    @Option(help: ArgumentHelp("Certificates per database round trip.", valueName: "n"))
    var batchSize = 100

    @Flag(help: "List earlier purge runs, newest first, instead of purging.")
    var history = false

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("With --history: list what this run did to each certificate.", valueName: "id")
    )
    var runID: Int64?

    @Option(help: ArgumentHelp("With --history: at most this many runs.", valueName: "n"))
    var limit = 50

    @Flag(help: "With --history: print JSON.")
    var json = false

    /// Test hook: stops the process (SIGSTOP) right after the n-th file is deleted, before its link is cleared,
    /// so the integration tests can kill it at a known point.
    @Option(help: .private)
    var haltAfterDeletions: Int?

    func validate() throws {
        let selectors = [!self.learners.isEmpty, self.learnersFile != nil, !self.certificates.isEmpty].filter { $0 }
        if self.history {
            guard selectors.isEmpty, !self.dryRun, !self.yes, self.operatorName == nil else {
                throw ValidationError("--history lists runs; it takes no selection, --dry-run, --yes or --operator")
            }
            guard (1...10_000).contains(self.limit) else { throw ValidationError("--limit must be from 1 to 10000") }
            return
        }
        guard self.runID == nil, !self.json else {
            throw ValidationError("--run and --json go with --history")
        }
        guard selectors.count == 1 else {
            throw ValidationError(
                selectors.isEmpty
                    ? "say what to purge: --learner ID, --learners-file FILE or --certificate CODE (or --history)"
                    : "use only one of --learner, --learners-file and --certificate"
            )
        }
        if self.learners.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--learner needs a non-empty id")
        }
        if let name = self.operatorName?.trimmingCharacters(in: .whitespacesAndNewlines),
            !(1...200).contains(name.count)
        {
            throw ValidationError("--operator must have 1 to 200 characters")
        }
        guard (1...10_000).contains(self.batchSize) else {
            throw ValidationError("--batch-size must be from 1 to 10000")
        }
        if !self.dryRun, !self.yes, isatty(STDIN_FILENO) != 1 {
            throw ValidationError(
                "purge-pdfs deletes files and is not on a terminal to ask: pass --yes to go ahead, or --dry-run to "
                    + "see what it would do"
            )
        }
    }

    func run() async throws {
        let settings = try self.common.settings()
        if self.history { return try await self.showHistory(settings) }

        let selection: PurgeSelection
        if let file = self.learnersFile {
            selection = try PurgeSelection.reading(learnersFile: file)
        } else if !self.learners.isEmpty {
            selection = .learners(PurgeSelection.unique(self.learners))
        } else {
            selection = .certificates(PurgeSelection.unique(self.certificates))
        }
        var directory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.storageDirectory, isDirectory: &directory),
            directory.boolValue
        else {
            throw CommandFailure(
                "the storage root \(settings.storageDirectory) does not exist: set ATTEST_STORAGE_DIR to the directory "
                    + "attest worker stores certificates in"
            )
        }
        let purger = PDFPurger(
            configuration: .init(batchSize: self.batchSize),
            store: try LocalDocumentStore(root: settings.storageDirectory),
            logger: Logger(label: "attest.purge")
        )
        let tally = try await withDatabaseConnection(settings) { connection in
            if self.dryRun { return try await self.preview(selection, purger: purger, on: connection) }
            return try await self.purge(
                selection,
                purger: purger,
                storageRoot: settings.storageDirectory,
                on: connection
            )
        }
        print((self.dryRun ? "dry run, nothing changed: " : "") + tally.summary)
        if tally.errors > 0 { throw ExitCode.failure }
    }

    // MARK: - Dry run

    private func preview(_ selection: PurgeSelection, purger: PDFPurger, on connection: PGConnection) async throws
        -> PurgeTally
    {
        let plan = try await purger.plan(selection, on: connection)
        let console = PurgeConsole(
            total: plan.toPurge.count + plan.alreadyPurged.count + plan.pending.count,
            activity: "checking"
        )
        var tally = PurgeTally(notFound: plan.notFound.count)
        self.reportNotFound(plan, console: console)
        await purger.preview(plan) { result in
            tally.add(result)
            console.result(result, dryRun: true)
        }
        console.finish()
        return tally
    }

    // MARK: - Purge

    private func purge(
        _ selection: PurgeSelection,
        purger: PDFPurger,
        storageRoot: String,
        on connection: PGConnection
    ) async throws -> PurgeTally {
        let repository = PurgeRepository()
        // A run killed a moment ago holds the lock until PostgreSQL notices its connection is gone.
        var locked = try await repository.tryLock(on: connection)
        for _ in 0..<20 where !locked {
            try await Task.sleep(for: .milliseconds(250))
            locked = try await repository.tryLock(on: connection)
        }
        guard locked else {
            throw CommandFailure(
                "another attest purge-pdfs is running on this database; wait for it to finish "
                    + "(attest purge-pdfs --history shows it as running)"
            )
        }
        let plan = try await purger.plan(selection, on: connection)
        if !self.yes, !plan.toPurge.isEmpty {
            try self.confirm(plan, root: storageRoot)
        }
        let console = PurgeConsole(
            total: plan.toPurge.count + plan.alreadyPurged.count + plan.pending.count,
            activity: "purging"
        )
        for abandoned in try await repository.closeAbandonedRuns(on: connection) {
            console.line("run \(abandoned) had been interrupted; this run finishes what it started")
        }
        let runID = try await repository.startRun(
            PurgeRepository.NewRun(
                osUser: Self.osUser,
                operator: self.operatorName?.trimmingCharacters(in: .whitespacesAndNewlines),
                host: ProcessInfo.processInfo.hostName,
                processID: Int(getpid()),
                arguments: Self.redacted(Array(CommandLine.arguments.dropFirst())),
                learnerIDs: selection.learnerIDs,
                certificateCodes: selection.certificateCodes,
                notFound: plan.notFound
            ),
            on: connection
        )
        self.reportNotFound(plan, console: console)
        let interrupted = try await repository.interruptedRuns(certificateIDs: plan.toPurge.map(\.id), on: connection)
        do {
            try await purger.purge(
                plan,
                runID: runID,
                interruptedRuns: interrupted,
                on: connection,
                afterDeletion: { count in
                    console.fileDeleted()
                    if count == self.haltAfterDeletions { raise(SIGSTOP) }
                },
                report: { console.result($0, dryRun: false) }
            )
        } catch {
            console.finish()
            _ = try? await repository.finish(runID: runID, interrupted: true, on: connection)
            throw error
        }
        console.finish()
        let run = try await repository.finish(runID: runID, on: connection)
        try await repository.unlock(on: connection)
        print("purge run \(runID) \(run.state.rawValue)")
        return PurgeTally(run: run)
    }

    private func reportNotFound(_ plan: PurgePlan, console: PurgeConsole) {
        for id in plan.notFound {
            console.line(
                plan.selectsLearners ? "not found  learner \(id): no certificates" : "not found  certificate \(id)")
        }
    }

    /// Shows the counts on standard error and reads the answer from the terminal; anything but yes aborts.
    private func confirm(_ plan: PurgePlan, root: String) throws {
        var text = "About to delete \(plan.toPurge.count) PDF file(s), \(plan.bytes) bytes, of "
        text += "\(plan.learnerCount) learner(s) from \(root) and clear their links"
        text += "; \(plan.alreadyPurged.count) already purged, \(plan.pending.count) pending, "
        text += "\(plan.notFound.count) not found. The certificates stay valid.\nType yes to go ahead: "
        FileHandle.standardError.write(Data(text.utf8))
        guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
            throw CommandFailure("not confirmed; nothing was changed")
        }
    }

    /// The operating-system account running the command.
    static var osUser: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid \(getuid())"
    }

    /// The arguments with the value of --database-url (which may hold a password) replaced.
    static func redacted(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for argument in arguments {
            if result.last == "--database-url" {
                result.append("[redacted]")
            } else if argument.hasPrefix("--database-url=") {
                result.append("--database-url=[redacted]")
            } else {
                result.append(argument)
            }
        }
        return result
    }

    // MARK: - History

    private func showHistory(_ settings: AttestSettings) async throws {
        let repository = PurgeRepository()
        if let id = self.runID {
            let (run, items, notFound) = try await withDatabaseConnection(settings) { connection in
                (
                    try await repository.run(id: id, on: connection),
                    try await repository.items(runID: id, on: connection),
                    try await repository.notFound(runID: id, on: connection)
                )
            }
            guard let run else { throw CommandFailure("no purge run has the id \(id)") }
            if self.json { return try printJSON(RunDetail(run: run, items: items, notFound: notFound)) }
            print(Self.describe(run))
            for item in items {
                var fields = [
                    item.outcome.rawValue, item.verificationCode, "learner \(item.learnerID)", item.filePath ?? "-",
                ]
                if let message = item.message { fields.append(message) }
                print("  " + fields.joined(separator: "  "))
            }
            for value in notFound { print("  not found  \(value)") }
            return
        }
        let runs = try await withDatabaseConnection(settings) { connection in
            try await repository.runs(limit: self.limit, on: connection)
        }
        if self.json { return try printJSON(runs) }
        if runs.isEmpty { print("no purge runs") }
        for run in runs { print(Self.describe(run)) }
    }

    /// One run and everything it did, for `--history --run ID --json`.
    struct RunDetail: Encodable {
        var run: PurgeRunRecord
        var items: [PurgeItemRecord]
        var notFound: [String]
    }

    /// `run 3  succeeded  2026-…Z  by alice (operator Jane Doe) on host  selected …` and its counts.
    static func describe(_ run: PurgeRunRecord) -> String {
        var who = "by \(run.osUser)"
        if let name = run.operator { who += " (operator \(name))" }
        let finished = run.finishedAt.map { " to \($0.formatted(.iso8601))" } ?? ""
        let asked =
            run.learnersRequested > 0
            ? "\(run.learnersRequested) learner(s)" : "\(run.certificatesRequested) certificate code(s)"
        return """
            run \(run.id)  \(run.state.rawValue)  \(run.startedAt.formatted(.iso8601))\(finished)  \(who) on \(run.host)
              asked for \(asked), selected \(run.certificatesSelected) certificate(s): \(PurgeTally(run: run).summary)
              arguments: \(run.arguments.joined(separator: " "))
            """
    }
}
