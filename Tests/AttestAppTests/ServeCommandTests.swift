// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import Foundation
import Testing

@testable import AttestApp

/// Where `attest serve` listens: flags, then the public URL when it is a loopback address, then 0.0.0.0:8080.
@Suite("attest serve configuration")
struct ServeCommandTests {
    private func settings(publicURL: String?) throws -> AttestSettings {
        var environment: [String: String] = [:]
        if let publicURL { environment["ATTEST_PUBLIC_URL"] = publicURL }
        return try AttestSettings(environment: environment)
    }

    @Test("a loopback public URL gives its host and port; flags override them")
    func loopback() throws {
        let settings = try self.settings(publicURL: "http://127.0.0.1:9123/")
        #expect(ServeCommand.listenAddress(settings: settings, host: nil, port: nil) == ("127.0.0.1", 9123))
        #expect(ServeCommand.listenAddress(settings: settings, host: "::1", port: 81) == ("::1", 81))
        let unset = try self.settings(publicURL: nil)
        #expect(ServeCommand.listenAddress(settings: unset, host: nil, port: nil) == ("127.0.0.1", 8080))
        let ipv6 = try self.settings(publicURL: "http://[::1]:7000")
        #expect(ServeCommand.listenAddress(settings: ipv6, host: nil, port: nil) == ("::1", 7000))
    }

    @Test("a public URL behind a proxy: every interface on 8080")
    func proxied() throws {
        let settings = try self.settings(publicURL: "https://verify.example.org")
        #expect(ServeCommand.listenAddress(settings: settings, host: nil, port: nil) == ("0.0.0.0", 8080))
        #expect(ServeCommand.listenAddress(settings: settings, host: nil, port: 9000) == ("0.0.0.0", 9000))
    }

    @Test("flags are checked before anything starts")
    func validation() throws {
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--port", "70000"]) }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--connections", "0"]) }
        let command = try ServeCommand.parse(["--host", "0.0.0.0", "--port", "8081", "--with-worker"])
        #expect(command.withWorker)
        #expect(command.port == 8081)
    }
}
