// Attest — certificates and documents you can verify. Apache-2.0.

import AttestQueue
import ServiceLifecycle

/// Several job workers run as one service: one per concurrency limit (certificates, conversions), so a long deck
/// never takes a slot a certificate needs. It returns when every worker has returned: at graceful shutdown, or,
/// when they drain, once all their queues are empty.
struct WorkerSet: Service {
    let workers: [JobWorker]

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for worker in self.workers {
                group.addTask { await worker.run() }
            }
        }
    }
}
