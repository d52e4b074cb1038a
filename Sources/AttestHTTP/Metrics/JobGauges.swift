// Attest — certificates and documents you can verify. Apache-2.0.

import Prometheus
import Synchronization

/// The `attest_jobs{kind,state}` gauge, refreshed from the jobs table each time `/metrics` is scraped; a
/// kind/state pair that no longer has jobs drops to 0 instead of keeping its last value.
final class JobGauges: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let known: Mutex<[String: Gauge]> = Mutex([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func update(_ counts: [AttestServer.JobCount]) {
        self.known.withLock { known in
            var seen = Set<String>()
            for count in counts {
                let key = "\(count.kind)\u{0}\(count.state)"
                seen.insert(key)
                let gauge =
                    known[key]
                    ?? self.registry.makeGauge(
                        descriptor: MetricNameDescriptor(
                            metricName: MetricLabel.jobs,
                            unitName: "",
                            helpText: MetricLabel.jobsHelp
                        ),
                        labels: [("kind", count.kind), ("state", count.state)]
                    )
                known[key] = gauge
                gauge.set(to: Double(count.count))
            }
            for (key, gauge) in known where !seen.contains(key) {
                gauge.set(to: 0)
            }
        }
    }
}
