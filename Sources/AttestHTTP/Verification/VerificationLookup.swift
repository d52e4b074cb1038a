// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestPQ

/// Looks certificates up by code for the verification routes, coalescing concurrent requests into one query.
///
/// A request that finds fewer than `maximumConcurrentQueries` queries running leads: it queries its own code
/// together with every code waiting at that moment (up to `maximumBatch`). Others wait for the next query.
/// When a query ends, the oldest waiting request leads the next one. At low load every request queries
/// alone, at once; under load one round trip (and one pair of thread hops) serves many requests. Every
/// answer is still read from the row after its request arrived: nothing is cached.
actor VerificationLookup {
    /// What a waiting request is woken with.
    private enum Wake: Sendable {
        case found(CertificateVerification?)
        case failed(any Error)
        case lead
    }

    private struct Waiter {
        let code: String
        let continuation: CheckedContinuation<Wake, Never>
    }

    private let pool: PGPool
    private let maximumConcurrentQueries: Int
    private let maximumBatch: Int
    private var running = 0
    private var waiting: [Waiter] = []

    init(pool: PGPool, maximumConcurrentQueries: Int, maximumBatch: Int = 128) {
        self.pool = pool
        self.maximumConcurrentQueries = max(1, maximumConcurrentQueries)
        self.maximumBatch = max(1, maximumBatch)
    }

    /// The issued or revoked certificate with this canonical code, or nil.
    func find(_ code: String) async throws -> CertificateVerification? {
        if self.running >= self.maximumConcurrentQueries {
            let wake = await withCheckedContinuation { continuation in
                self.waiting.append(Waiter(code: code, continuation: continuation))
            }
            switch wake {
            case .found(let verification): return verification
            case .failed(let error): throw error
            case .lead: break
            }
        } else {
            self.running += 1
        }
        return try await self.lead(code)
    }

    /// Runs one query for `code` and the codes waiting now; `running` already counts it.
    private func lead(_ code: String) async throws -> CertificateVerification? {
        let count = min(self.waiting.count, self.maximumBatch - 1)
        let batch = Array(self.waiting.prefix(count))
        self.waiting.removeFirst(count)
        defer { self.handOver() }
        let found: [String: CertificateVerification]
        do {
            found = try await self.pool.withConnection { connection in
                try await CertificateRepository().verifications(codes: [code] + batch.map(\.code), on: connection)
            }
        } catch {
            if Task.isCancelled {
                // Only the leading request was cancelled: the others go back to the front of the queue, and
                // `handOver` lets the oldest of them lead the next query.
                self.waiting.insert(contentsOf: batch, at: 0)
            } else {
                for waiter in batch { waiter.continuation.resume(returning: .failed(error)) }
            }
            throw error
        }
        for waiter in batch { waiter.continuation.resume(returning: .found(found[waiter.code])) }
        return found[code]
    }

    /// A query ended: the oldest waiting request leads the next one.
    private func handOver() {
        if self.waiting.isEmpty {
            self.running -= 1
        } else {
            self.waiting.removeFirst().continuation.resume(returning: .lead)
        }
    }
}
