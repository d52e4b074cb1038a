// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser

/// `attest bench …`: the benchmarks behind the README's performance figures (run them on a release build).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Attest's speed (build with `swift build -c release` first).",
        subcommands: [BenchQueueCommand.self]
    )
}
