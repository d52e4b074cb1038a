// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion

/// `attest conversion-host`: internal; a LibreOfficeKit host process started and supervised by a `ConversionPool`.
struct ConversionHostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversion-host",
        abstract: "Internal: a LibreOffice host process driven by the conversion pool over fds 3 and 4.",
        shouldDisplay: false
    )

    @Option(help: "LibreOffice's program directory.")
    var officePath: String

    @Option(help: "The host's LibreOffice profile directory.")
    var profile: String

    @Flag(help: "Run in a new network namespace (needs root).")
    var isolateNetwork = false

    @Flag(help: "Set by the host itself after it moved into a new network namespace.")
    var networkIsolated = false

    @Option(help: "Test hook: a request that finds this file deletes it and is never answered.")
    var hangIfExists: String?

    func run() throws {
        var isolationFailure: String?
        if self.isolateNetwork, !self.networkIsolated {
            // Returns only when isolation is impossible; on success the process re-executes with --network-isolated.
            isolationFailure = ConversionHostServer.isolateNetwork(
                arguments: CommandLine.arguments,
                marker: "--network-isolated"
            )
        }
        let status = ConversionHostServer.run(
            ConversionHostServer.Options(
                installPath: self.officePath,
                profileDirectory: self.profile,
                networkIsolated: self.networkIsolated,
                networkIsolationFailure: isolationFailure,
                hangMarker: self.hangIfExists
            )
        )
        throw ExitCode(status)
    }
}
