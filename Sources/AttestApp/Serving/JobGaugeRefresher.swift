// Attest — certificates and documents you can verify. Apache-2.0.

import AttestHTTP
import ServiceLifecycle

/// Refreshes the server's `attest_jobs` gauge on a timer, so that `/metrics` answers from memory: one count of the
/// jobs table per interval, however many scrapes arrive.
struct JobGaugeRefresher: Service {
    /// How often the jobs are counted; about a Prometheus scrape interval.
    static let defaultInterval = Duration.seconds(15)

    let server: AttestServer
    var interval = Self.defaultInterval

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await self.server.refreshJobGauges()
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown ends the timer; that is this service's normal end.
        }
    }
}
