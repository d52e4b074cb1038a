// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser

/// `attest bench …`: benchmarks; run them on a release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (use a release build).",
        subcommands: [
            BenchConvertCommand.self
        ]
    )
}
