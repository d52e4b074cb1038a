// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Reads a file (or standard input) line by line in 64 KiB chunks, so a file of any size streams through.
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    /// Opens `path`, or standard input for `-`.
    init(path: String) throws {
        if path == "-" {
            self.handle = .standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw CommandFailure("cannot open \(path): no such readable file")
            }
            self.handle = handle
        }
    }

    /// The next line without its line break (and without a carriage return before it), or nil at the end.
    func next() throws -> [UInt8]? {
        while true {
            if let newline = self.buffer[self.start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > self.start, self.buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(self.buffer[self.start..<end])
                self.start = newline + 1
                return line
            }
            if self.finished {
                guard self.start < self.buffer.count else { return nil }
                let line = Array(self.buffer[self.start...])
                self.start = self.buffer.count
                return line
            }
            self.buffer.removeFirst(self.start)
            self.start = 0
            let chunk = try self.handle.read(upToCount: 64 * 1024) ?? Data()
            if chunk.isEmpty { self.finished = true } else { self.buffer.append(contentsOf: chunk) }
        }
    }
}
