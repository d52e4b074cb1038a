// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestTestSupport
import Foundation
import Logging
import Testing

@Suite("LISTEN/NOTIFY against a real PostgreSQL", .requiresDatabase)
struct PGListenerTests {
    @Test("a NOTIFY from another connection arrives within the timeout")
    func deliversAcrossConnections() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let listener = try await PGListener(connectionString: database.url, channels: ["attest_test"], logger: Logger(label: "test"))
            _ = try await database.withConnection { connection in
                try await connection.query("SELECT pg_notify($1, $2)", ["attest_test", "hello ünïcode"])
            }
            let notification = try await listener.next(timeout: .seconds(5))
            #expect(notification?.channel == "attest_test")
            #expect(notification?.payload == "hello ünïcode")
            try await listener.close()
        }
    }

    @Test("with nothing sent, next(timeout:) returns nil after the timeout, not before")
    func timesOutCleanly() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let listener = try await PGListener(connectionString: database.url, channels: ["quiet"], logger: Logger(label: "test"))
            let started = ContinuousClock.now
            let notification = try await listener.next(timeout: .milliseconds(300))
            let elapsed = ContinuousClock.now - started
            #expect(notification == nil)
            #expect(elapsed >= .milliseconds(300))
            // Generous: only a wait that never ends should fail here, not a loaded machine.
            #expect(elapsed < .seconds(20))
            try await listener.close()
        }
    }

    @Test("cancelling the waiting task ends the wait at once")
    func cancellationWakesTheWait() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let listener = try await PGListener(connectionString: database.url, channels: ["quiet"], logger: Logger(label: "test"))
            let started = ContinuousClock.now
            let waiting = Task { try await listener.next(timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(100))
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            #expect(ContinuousClock.now - started < .seconds(5))
            try await listener.close()
        }
    }
}
