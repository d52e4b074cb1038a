// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser

/// The version Attest reports in `attest version` and `--version`.
enum AttestVersion {
    static let current = "0.1.0"
}

/// `attest version`: prints the version, for scripts that check what is deployed.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the Attest version."
    )

    func run() {
        print(AttestVersion.current)
    }
}
