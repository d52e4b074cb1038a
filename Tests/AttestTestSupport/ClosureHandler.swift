// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestQueue

/// A job handler made from a closure, for tests.
public struct ClosureHandler: JobHandler {
    private let body: @Sendable (JobContext) async throws -> Void

    public init(_ body: @escaping @Sendable (JobContext) async throws -> Void) {
        self.body = body
    }

    public func run(_ context: JobContext) async throws {
        try await self.body(context)
    }
}
