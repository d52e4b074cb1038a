// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestTestSupport
import Testing

/// Checks that C objects are freed on every path, by the process's resident memory. `make test` runs this suite
/// in a process of its own (`--filter LeakTests`), after the others: RSS is per process, and suites running in
/// parallel beside it would move it by far more than a leak does.
@Suite("C memory leaks, measured alone", .requiresDatabase)
struct LeakTests {
    @Test("10,000 queries and failing queries leak no C memory (RSS stays flat)")
    func noLeaks() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                func churn(_ count: Int) async throws {
                    for index in 0..<count {
                        if index % 2 == 0 {
                            _ = try await connection.query(
                                "SELECT $1::text AS t, repeat('x', 2000) AS pad, g FROM generate_series(1, 20) g",
                                ["value \(index)"]
                            )
                        } else {
                            _ = try? await connection.query("SELECT 1 / $1::integer", [0])
                        }
                    }
                }
                try await churn(2_000)
                let before = try ResidentMemory.current()
                try await churn(10_000)
                let after = try ResidentMemory.current()
                #expect(after - before < 4 << 20, "RSS grew from \(before) to \(after) bytes")
            }
        }
    }
}
