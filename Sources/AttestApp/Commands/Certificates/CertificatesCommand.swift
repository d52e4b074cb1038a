// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestDatabase
import AttestPQ
import Foundation

/// `attest certificates …`: look certificates up by code or learner.
struct CertificatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificates",
        abstract: "Look certificates up.",
        subcommands: [Show.self, List.self]
    )

    /// `attest certificates show CODE`
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one certificate by its verification code.")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The verification code (case-insensitive).") var code: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let code = VerificationCode(parsing: self.code) else {
                throw CommandFailure("no certificate has the code \(self.code)")
            }
            let certificate = try await withDatabaseConnection(try self.common.settings()) { connection in
                try await CertificateRepository().find(code: code.text, on: connection)
            }
            guard let certificate else { throw CommandFailure("no certificate has the code \(code.text)") }
            if self.json { return try printJSON(certificate) }
            print(describe(certificate))
        }
    }

    /// `attest certificates list --learner ID`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a learner's certificates, newest first.")

        @OptionGroup var common: CommonOptions
        @Option(help: "The learner's id (learner_id of their completions).") var learner: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let certificates = try await withDatabaseConnection(try self.common.settings()) { connection in
                try await CertificateRepository().list(learnerID: self.learner, on: connection)
            }
            if self.json { return try printJSON(certificates) }
            if certificates.isEmpty { print("no certificates for learner \(self.learner)") }
            for certificate in certificates {
                print(
                    "\(certificate.verificationCode)  \(certificate.status.rawValue)  \(certificate.issuedOnText)  "
                        + "\(certificate.courseTitle)"
                )
            }
        }
    }
}

/// `attest revoke CODE --reason TEXT`: the certificate's status becomes revoked; its row and file stay.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a certificate; its verification page then says so, with the reason and date."
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "The verification code.") var code: String
    @Option(help: "Why it is revoked; shown on the verification page.") var reason: String

    func validate() throws {
        let reason = self.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else { throw ValidationError("--reason must have 1 to 500 characters") }
    }

    func run() async throws {
        guard let code = VerificationCode(parsing: self.code) else {
            throw CommandFailure("no certificate has the code \(self.code)")
        }
        let reason = self.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let revoked = try await withDatabaseConnection(try self.common.settings()) { connection in
            try await CertificateRepository().revoke(code: code.text, reason: reason, on: connection)
        }
        guard let revoked else {
            throw CommandFailure("no issued certificate has the code \(code.text) (unknown, not issued yet, or already revoked)")
        }
        print("revoked \(revoked.verificationCode): \(reason)")
    }
}

/// A certificate as lines of `field: value` for people.
func describe(_ certificate: CertificateRecord) -> String {
    var lines = [
        "code:          \(certificate.verificationCode)",
        "status:        \(certificate.status.rawValue)",
        "learner:       \(certificate.learnerName) (\(certificate.learnerID))",
        "course:        \(certificate.courseTitle)",
        "organisation:  \(certificate.organisation)",
        "issued on:     \(certificate.issuedOnText)",
        "template:      \(certificate.templateID) v\(certificate.templateVersion)",
    ]
    if let revokedAt = certificate.revokedAt {
        lines.append("revoked at:    \(revokedAt.formatted(.iso8601)) — \(certificate.revocationReason ?? "")")
    }
    if let path = certificate.documentPath {
        lines.append("document:      \(path) (\(certificate.documentBytes ?? 0) bytes, sha256 \(certificate.documentSHA256 ?? "not stored yet"))")
    } else if let purged = certificate.documentPurgedAt {
        lines.append("document:      removed \(purged.formatted(.iso8601))")
    }
    return lines.joined(separator: "\n")
}
