// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation
public import Testing

/// What the test script provides: the database URL, the private cluster's directory, and whether missing
/// infrastructure is a failure (`REQUIRE_INTEGRATION=1`, as in CI) or a reason to skip.
public enum IntegrationEnvironment {
    public static var databaseURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["REQUIRE_INTEGRATION"] == "1"
    }

    /// The repository root, found from this file's location.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `attest` executable built next to the test bundle.
    public static var attestExecutable: URL {
        get throws {
            let directory = Bundle.main.bundleURL.deletingLastPathComponent()
            for candidate in [directory, Bundle.main.bundleURL] {
                let url = candidate.appendingPathComponent("attest")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw TestSupportError("the attest executable is not built next to the tests (looked in \(directory.path))")
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite only when a test database is configured, or when integration is required (then a
    /// missing database fails the tests instead of skipping them).
    public static var requiresDatabase: Self {
        .enabled(
            if: IntegrationEnvironment.databaseURL != nil || IntegrationEnvironment.isRequired,
            "TEST_DATABASE_URL is not set: run the tests under scripts/with-postgres (make test does)"
        )
    }
}

/// A failure of the test infrastructure itself, with a message saying what to fix.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
