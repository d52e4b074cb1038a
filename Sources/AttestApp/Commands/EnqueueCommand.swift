// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestDatabase
import AttestPQ
import Foundation

/// `attest enqueue FILE|-`: submits JSON Lines completions in batches, reporting every rejected line.
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Submit completions from a JSON Lines file (or - for standard input).",
        discussion: """
            Each non-blank line is one completion (CONTRACT.md). Lines are checked as they are read and sent in \
            batches through attest.submit_completion, so files of any size stream through. A line whose \
            external_id was submitted before counts as a duplicate and changes nothing. Prints \
            `line K: reason` for each rejected line and `accepted N, duplicates D, rejected R` at the end; \
            exits 1 if any line was rejected (accepted lines stay accepted).
            """
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "JSON Lines file, or - for standard input.") var file = "-"
    @Option(help: "Completions per database round trip.") var batchSize = 500

    func validate() throws {
        guard (1...10_000).contains(self.batchSize) else { throw ValidationError("--batch-size must be from 1 to 10000") }
    }

    /// Counts for the closing line.
    struct Tally {
        var accepted = 0
        var duplicates = 0
        var rejected = 0
        var lines = 0
    }

    func run() async throws {
        let settings = try self.common.settings()
        let reader = try LineReader(path: self.file)
        let progress = Progress(enabled: isatty(STDERR_FILENO) == 1)
        let tally = try await withDatabaseConnection(settings) { connection in
            var tally = Tally()
            var batch: [(line: Int, json: String)] = []
            while let bytes = try reader.next() {
                tally.lines += 1
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                do {
                    _ = try Completion(json: Data(bytes))
                    batch.append((tally.lines, String(decoding: bytes, as: UTF8.self)))
                } catch let error as CoreError {
                    self.reject(line: tally.lines, reason: error.problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "), tally: &tally)
                }
                if batch.count >= self.batchSize {
                    try await self.submit(batch, on: connection, tally: &tally)
                    batch.removeAll(keepingCapacity: true)
                    progress.show(tally)
                }
            }
            try await self.submit(batch, on: connection, tally: &tally)
            progress.finish()
            return tally
        }
        print("accepted \(tally.accepted), duplicates \(tally.duplicates), rejected \(tally.rejected)")
        if tally.rejected > 0 { throw ExitCode.failure }
    }

    /// Sends a batch in one statement; if the database rejects one line of it, sends the lines one by one so
    /// that only the bad line is rejected.
    private func submit(_ batch: [(line: Int, json: String)], on connection: PGConnection, tally: inout Tally) async throws {
        guard !batch.isEmpty else { return }
        let repository = CompletionRepository()
        do {
            let results = try await repository.submit(batch.map(\.json), on: connection)
            for result in results {
                if result.created { tally.accepted += 1 } else { tally.duplicates += 1 }
            }
        } catch let error as PGError where error.sqlState?.hasPrefix("22") == true && batch.count > 1 {
            for entry in batch {
                try await self.submit([entry], on: connection, tally: &tally)
            }
        } catch let error as PGError where error.sqlState?.hasPrefix("22") == true {
            self.reject(line: batch[0].line, reason: error.message, tally: &tally)
        }
    }

    private func reject(line: Int, reason: String, tally: inout Tally) {
        tally.rejected += 1
        print("line \(line): \(reason)")
    }

    /// A progress line on standard error, redrawn at most every half second, only on a terminal.
    final class Progress {
        private let enabled: Bool
        private var last = ContinuousClock.now

        init(enabled: Bool) {
            self.enabled = enabled
        }

        func show(_ tally: Tally) {
            guard self.enabled, ContinuousClock.now - self.last > .milliseconds(500) else { return }
            self.last = .now
            FileHandle.standardError.write(
                Data("\r\(tally.lines) lines: accepted \(tally.accepted), duplicates \(tally.duplicates), rejected \(tally.rejected)".utf8)
            )
        }

        func finish() {
            if self.enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
