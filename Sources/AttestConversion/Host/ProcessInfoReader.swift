// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Reads what Linux's /proc says about processes: resident memory, process groups, command names.
package enum ProcessInfoReader {
    /// Resident set size of a process in bytes, or nil when it is gone.
    package static func residentBytes(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Peak resident set size (VmHWM) of a process in bytes.
    package static func peakResidentBytes(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let number = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return number.map { $0 * 1024 }
        }
        return nil
    }

    /// Whether a process exists and is not exiting: false once it is a zombie (`Z`), dead (`X`) or gone.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        // After "pid (comm) " comes the state letter.
        let state = stat[stat.index(after: close)...].dropFirst().first
        return state != "Z" && state != "X"
    }

    /// Live (not zombie) processes whose process group is `group`.
    static func members(ofGroup group: Int32) -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [Int32] = []
        for name in names {
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state ppid pgrp …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let pgrp = Int32(fields[2]) else { continue }
            if pgrp == group, fields[0] != "Z" { members.append(pid) }
        }
        return members
    }
}
