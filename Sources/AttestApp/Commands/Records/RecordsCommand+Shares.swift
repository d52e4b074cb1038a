// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestDatabase
import Foundation

extension RecordsCommand {
    /// `attest records shares --learner ID`
    struct Shares: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The audit of a learner's share links: every share and revoke, who and when, oldest first."
        )

        @OptionGroup var common: CommonOptions
        @Option(help: "The learner's id.") var learner: String
        @Flag(help: "Print JSON.") var json = false

        /// One share as `--json` prints it.
        struct Entry: Encodable {
            let token: String
            let programID: String
            let createdAt: Date
            let createdBy: String
            let revokedAt: Date?
            let revokedBy: String?
        }

        func run() async throws {
            let settings = try self.common.settings()
            let shares = try await withDatabaseConnection(settings) { connection in
                try await RecordShareRepository().history(learnerID: self.learner, on: connection)
            }
            if self.json {
                return try printJSON(
                    shares.map {
                        Entry(
                            token: $0.token,
                            programID: $0.programID,
                            createdAt: $0.createdAt,
                            createdBy: $0.createdBy,
                            revokedAt: $0.revokedAt,
                            revokedBy: $0.revokedBy
                        )
                    }
                )
            }
            if shares.isEmpty { print("learner \(self.learner) has never shared a record") }
            for share in shares {
                let state =
                    if let revokedAt = share.revokedAt {
                        "revoked \(revokedAt.formatted(.iso8601)) by \(share.revokedBy ?? "unknown")"
                    } else {
                        "active  \(share.url(publicBaseURL: settings.publicBaseURL))"
                    }
                print(
                    "\(share.programID)  shared \(share.createdAt.formatted(.iso8601)) by \(share.createdBy)  \(state)"
                )
            }
        }
    }
}
