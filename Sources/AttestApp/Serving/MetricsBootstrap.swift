// Attest — certificates and documents you can verify. Apache-2.0.

import AttestHTTP
import Metrics
import Prometheus
import Synchronization

/// Starts swift-metrics once per process with a Prometheus registry, the one `/metrics` writes out; later
/// calls return the same registry.
enum MetricsBootstrap {
    private static let registry = Mutex<PrometheusCollectorRegistry?>(nil)

    static func start() -> PrometheusCollectorRegistry {
        self.registry.withLock { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: created)
            factory.durationHistogramBuckets[MetricLabel.httpRequestDuration] = [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .seconds(5),
            ]
            let slow: [Duration] = [
                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
            ]
            factory.durationHistogramBuckets[MetricLabel.renderDuration] = slow
            MetricsSystem.bootstrap(factory)
            registry = created
            return created
        }
    }
}
