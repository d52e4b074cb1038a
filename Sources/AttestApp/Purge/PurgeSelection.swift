// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import Foundation

/// What an operator asked `attest purge-pdfs` to purge: every certificate of some learners, or some certificates.
enum PurgeSelection: Sendable, Equatable {
    /// Learner ids, compared as exact text (never as numbers: `007` and `7` are different learners).
    case learners([String])
    /// Verification codes as given; well-formed ones are matched case-insensitively.
    case certificates([String])

    /// Learner ids from a file: one per line, surrounding white space trimmed, blank lines and lines whose first
    /// non-blank character is `#` ignored; repeated ids count once.
    static func reading(learnersFile path: String) throws -> PurgeSelection {
        let reader = try LineReader(path: path)
        var ids: [String] = []
        while let bytes = try reader.next() {
            let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            ids.append(line)
        }
        guard !ids.isEmpty else {
            throw ValidationError("\(path) lists no learner ids (one per line; blank lines and # comments are ignored)")
        }
        return .learners(Self.unique(ids))
    }

    /// `values` without repeats, in their first order.
    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// The learner ids asked for (empty for a selection by code).
    var learnerIDs: [String] {
        if case .learners(let ids) = self { return ids }
        return []
    }

    /// The codes asked for, upper-cased when well-formed (empty for a selection by learner).
    var certificateCodes: [String] {
        if case .certificates(let codes) = self {
            return Self.unique(codes.map { VerificationCode(parsing: $0)?.text ?? $0 })
        }
        return []
    }
}
