// Attest — certificates and documents you can verify. Apache-2.0.

/// The names of the metrics Attest exports itself (Hummingbird adds `hb_requests`,
/// `http_server_request_duration_seconds` and `http_server_active_requests`).
public enum MetricLabel {
    /// Gauge: jobs by `kind` and `state`, read from the jobs table when `/metrics` is scraped.
    public static let jobs = "attest_jobs"
    /// The `# HELP` line of `jobs`.
    static let jobsHelp = "Jobs in the queue by kind and state."
    /// swift-metrics `Timer` label: how long rendering one certificate PDF takes (recorded by workers).
    public static let renderDuration = "attest.render.duration"
    /// swift-metrics `Timer` label of Hummingbird's request latency, given finer buckets by the app.
    public static let httpRequestDuration = "http.server.request.duration"
}
