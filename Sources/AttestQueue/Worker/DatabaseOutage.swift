// Attest — certificates and documents you can verify. Apache-2.0.

import Logging

/// Tracks a stretch of failed database calls: logs its start and end once each, and backs off retries.
struct DatabaseOutage {
    private let logger: Logger
    private var failures = 0

    init(logger: Logger) {
        self.logger = logger
    }

    /// 100 ms doubling up to 5 s.
    var retryDelay: Duration {
        min(.milliseconds(100) * (1 << min(max(self.failures - 1, 0), 6)), .seconds(5))
    }

    mutating func failed(_ error: any Error) {
        if self.failures == 0 {
            self.logger.warning("Database unavailable; retrying", metadata: ["error": "\(error)"])
        }
        self.failures += 1
    }

    mutating func ended() {
        if self.failures > 0 {
            self.logger.info("Database reachable again", metadata: ["outage.failures": "\(self.failures)"])
        }
        self.failures = 0
    }
}
