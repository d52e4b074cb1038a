// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// The purge command's output: one line per certificate on standard output and, only when standard error is a
/// terminal, a progress line there that is cleared before each output line so the two never garble each other.
final class PurgeConsole {
    private let progressEnabled: Bool
    private let total: Int
    /// What the progress line says is going on: `purging`, or `checking` in a dry run.
    private let activity: String
    private var done = 0
    private var deleted = 0
    private var lastDrawn = ContinuousClock.now
    private var showing = false

    init(total: Int, activity: String, progressEnabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.activity = activity
        self.progressEnabled = progressEnabled
    }

    /// Prints one line of output.
    func line(_ text: String) {
        self.clearProgress()
        print(text)
        fflush(nil)
    }

    /// Prints a certificate's result and counts it for the progress line.
    func result(_ result: PurgeResult, dryRun: Bool) {
        self.line(result.line(dryRun: dryRun))
        self.done += 1
        self.drawProgress()
    }

    /// Counts a deleted file for the progress line, redrawn at most five times a second while files are deleted.
    func fileDeleted() {
        self.deleted += 1
        guard ContinuousClock.now - self.lastDrawn > .milliseconds(200) else { return }
        self.drawProgress()
    }

    /// Clears the progress line for good.
    func finish() {
        self.clearProgress()
    }

    private func drawProgress() {
        guard self.progressEnabled, self.done < self.total else { return }
        self.lastDrawn = .now
        self.showing = true
        FileHandle.standardError.write(
            Data(
                "\r\u{1B}[K\(self.activity): \(self.done) of \(self.total) certificates done, \(self.deleted) files deleted"
                    .utf8
            )
        )
    }

    private func clearProgress() {
        guard self.showing else { return }
        self.showing = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
