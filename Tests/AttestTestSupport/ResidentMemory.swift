// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// The process's resident set size, read from `/proc/self/statm`, for leak tests.
public enum ResidentMemory {
    public static func current() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else {
            throw TestSupportError("/proc/self/statm has an unexpected format: \(statm)")
        }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
