// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser

/// `attest bench`: benchmarks; run them on the release build (`make build`).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Attest's throughput (use a release build).",
        subcommands: [
            BenchRenderCommand.self,
            BenchQueueCommand.self,
            BenchConvertCommand.self,
            BenchPipelineCommand.self,
        ]
    )
}
