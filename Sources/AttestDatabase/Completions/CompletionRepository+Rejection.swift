// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
import Foundation

extension CompletionRepository {
    /// What `attest.submit_completion` says about one document, without keeping anything: it runs in a
    /// transaction that is always rolled back. Nil when the function accepts the document.
    ///
    /// Call it outside a transaction. The field is the one the function names (`$` for the document itself).
    public func rejection(of document: String, on connection: PGConnection) async throws -> (
        field: String, message: String
    )? {
        try await connection.query("BEGIN")
        do {
            _ = try await self.submit([document], on: connection)
            try await connection.query("ROLLBACK")
            return nil
        } catch let error as PGError where error.sqlState == "22023" {
            try await connection.query("ROLLBACK")
            guard let separator = error.message.range(of: ": ") else { return ("$", error.message) }
            return (String(error.message[..<separator.lowerBound]), String(error.message[separator.upperBound...]))
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }
}
