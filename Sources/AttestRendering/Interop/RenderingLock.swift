// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Makes the process's Cairo and Pango work take turns, whichever thread and renderer it comes from.
///
/// Cairo 1.16 (Debian 12) keeps one FreeType library for the whole process and, past ten open font faces, closes
/// and reopens faces (`FT_Done_Face`, `FT_New_Face`) on it without a lock; two threads rendering names in many
/// scripts at once crash inside FreeType (seen here: SIGSEGV and heap corruption in `attest worker` within a
/// thousand certificates). Every entry point that creates, uses or frees Pango or Cairo objects therefore runs
/// under this lock, and parallel rendering comes from processes (`attest worker`), not threads. Recursive,
/// because freeing a renderer can happen inside another locked call (a renderer whose init fails).
enum RenderingLock {
    private static let lock = NSRecursiveLock()

    static func run<R>(_ body: () throws -> R) rethrows -> R {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body()
    }

    /// For initialisers and deinitialisers, which cannot run their body in a closure: `enter()`, then
    /// `defer { RenderingLock.leave() }`.
    static func enter() {
        self.lock.lock()
    }

    static func leave() {
        self.lock.unlock()
    }
}
