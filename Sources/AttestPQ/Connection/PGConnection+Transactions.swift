// Attest — certificates and documents you can verify. Apache-2.0.

extension PGConnection {
    /// Runs `body` inside `BEGIN … COMMIT`; rolls back and rethrows if it throws.
    public func transaction<R>(_ body: (PGConnection) async throws -> R) async throws -> R {
        try await self.query("BEGIN")
        let value: R
        do {
            value = try await body(self)
        } catch {
            // A broken connection cannot roll back; the server discards the transaction on its own.
            _ = try? await self.query("ROLLBACK")
            throw error
        }
        try await self.query("COMMIT")
        return value
    }
}
