// Attest — certificates and documents you can verify. Apache-2.0.

import AttestTestSupport
import Foundation
import Testing

@Suite("the attest command line")
struct CommandLineTests {
    @Test("attest --help lists the commands")
    func help() async throws {
        let result = try await RunningProcess.run(try IntegrationEnvironment.attestExecutable, arguments: ["--help"])
        #expect(result.status == 0)
        for command in ["migrate", "version"] {
            #expect(result.standardOutput.contains(command), "missing \(command) in:\n\(result.standardOutput)")
        }
    }

    @Test("a wrong argument is a usage error: exit 64 with a message")
    func usageError() async throws {
        let result = try await RunningProcess.run(try IntegrationEnvironment.attestExecutable, arguments: ["migrate", "--bogus"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--bogus"))
    }

    @Test("attest migrate without a database is a usage error that says how to give one")
    func missingDatabase() async throws {
        let result = try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["migrate"],
            environment: ["DATABASE_URL": ""]
        )
        #expect(result.status == 64)
        #expect(result.standardError.contains("DATABASE_URL"))
    }

    @Test(
        "attest migrate with a bad DATABASE_URL exits non-zero with a one-line reason and no stack trace",
        arguments: ["postgres://attest:pw-not-shown@127.0.0.1:1/attest", "host=127.0.0.1 port=notaport password=pw-not-shown"]
    )
    func badDatabaseURL(url: String) async throws {
        let result = try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: ["migrate"],
            environment: ["DATABASE_URL": url]
        )
        #expect(result.status == 1)
        let lines = result.standardError.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1, "expected one line, got:\n\(result.standardError)")
        #expect(result.standardError.hasPrefix("Error: "))
        #expect(!result.standardError.contains("pw-not-shown"))
        #expect(!result.standardError.contains("Fatal error"))
    }
}
