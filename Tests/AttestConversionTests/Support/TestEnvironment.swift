// Attest — certificates and documents you can verify. Apache-2.0.

import AttestTestSupport
import Foundation
import Logging

@testable import AttestConversion

/// Where the real LibreOffice and the `attest` binary are, and how to make pools and scratch directories.
enum TestEnvironment {
    static let sofficePath = FixtureDecks.sofficePath

    /// Whether LibreOffice (with its LibreOfficeKit library) is installed.
    static var officeInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: self.sofficePath)
            && FileManager.default.fileExists(atPath: "/usr/lib/libreoffice/program/libmergedlo.so")
    }

    /// REQUIRE_INTEGRATION=1 turns a missing LibreOffice into a failure instead of a skip.
    static var integrationRequired: Bool {
        ProcessInfo.processInfo.environment["REQUIRE_INTEGRATION"] == "1"
    }

    /// Run the LibreOffice suites when it is installed, or when it is required (they then fail, saying why).
    static var runIntegration: Bool { self.officeInstalled || self.integrationRequired }

    /// The `attest` executable built next to the test bundle (the release one under `make test`).
    static var attestExecutable: String? {
        (try? IntegrationEnvironment.attestExecutable)?.path
    }

    /// A new private directory; the caller deletes it.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attest-conversion-test-\(UUID().uuidString)",
            isDirectory: true
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A pool configuration for tests; fails with a clear message when LibreOffice or `attest` are missing.
    static func configuration(hosts: Int = 1) throws -> ConversionPool.Configuration {
        guard self.officeInstalled else {
            throw ConversionError(
                .hostStartFailed,
                "REQUIRE_INTEGRATION=1 but LibreOffice is not installed (run scripts/bootstrap)"
            )
        }
        guard let executable = self.attestExecutable else {
            throw ConversionError(.hostStartFailed, "the attest executable was not built next to the tests")
        }
        var configuration = ConversionPool.Configuration(
            workDirectory: try self.scratchDirectory(),
            hostExecutable: executable
        )
        configuration.hosts = hosts
        configuration.conversionTimeout = .seconds(60)
        return configuration
    }

    static let logger = Logger(label: "attest.conversion.tests")
}
