// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestFiles
package import AttestPQ
public import Hummingbird
package import Logging
import NIOCore
package import Prometheus

/// The verification server (`attest serve`): public certificate pages and JSON, PDF download and check, the
/// completion API, health and metrics, as CONTRACT.md describes them.
public struct AttestServer: Sendable {
    /// How the server listens and what it accepts.
    public struct Configuration: Sendable {
        /// Interface to listen on. Defaults to `127.0.0.1`.
        public var host: String
        /// TCP port. Defaults to 8080.
        public var port: Int
        /// Base of the absolute URLs the server writes (`ATTEST_PUBLIC_URL`), without a trailing slash. Defaults
        /// to `http://127.0.0.1:8080`.
        public var publicBaseURL: String
        /// Bearer token of `/api/*` (`ATTEST_API_TOKEN`); the API answers 404 while it is nil. Never logged.
        /// Defaults to nil.
        public var apiToken: String?
        /// The most completions one `POST /api/completions` may carry. Defaults to 1,000.
        public var maximumCompletionsPerRequest: Int
        /// The largest body `POST /api/completions` reads. Defaults to 8 MiB.
        public var maximumCompletionBodyBytes: Int
        /// The largest PDF `POST /v/{code}/check` reads. Defaults to 20 MiB.
        public var maximumCheckBytes: Int
        /// How many certificate lookups run at once; requests arriving meanwhile are answered together by the
        /// next one. Keep it below the pool's size so the API and health checks find connections. Defaults to 2.
        public var maximumConcurrentLookups: Int
        /// The schema version this build migrates to; `/readyz` fails while the database is behind it. Defaults
        /// to 0 (any migrated schema).
        public var expectedSchemaVersion: Int
        /// How long a connection may go without a complete request: it is closed when no request head has
        /// arrived this long after it opened or after its last response (a client that never finishes its
        /// headers, or an idle keep-alive). Defaults to 30 seconds.
        public var idleTimeout: Duration
        /// Program records: the switch and the transcript renderer. Defaults to enabled, without transcripts.
        package var records = RecordsSettings()

        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            publicBaseURL: String = "http://127.0.0.1:8080",
            apiToken: String? = nil
        ) {
            self.host = host
            self.port = port
            self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
            self.apiToken = apiToken
            self.maximumCompletionsPerRequest = 1_000
            self.maximumCompletionBodyBytes = 8 << 20
            self.maximumCheckBytes = 20 << 20
            self.expectedSchemaVersion = 0
            self.maximumConcurrentLookups = 2
            self.idleTimeout = .seconds(30)
        }

        /// Fails at startup on values the server cannot work with.
        public func validate() throws {
            guard (0...65_535).contains(self.port) else {
                throw ServerError(.invalidConfiguration, "the port must be between 0 and 65535, not \(self.port)")
            }
            guard self.publicBaseURL.hasPrefix("http://") || self.publicBaseURL.hasPrefix("https://") else {
                throw ServerError(.invalidConfiguration, "the public URL must start with http:// or https://")
            }
            guard self.maximumCompletionsPerRequest > 0, self.maximumCompletionBodyBytes > 0,
                self.maximumCheckBytes > 0,
                self.maximumConcurrentLookups > 0,
                self.idleTimeout > .zero
            else {
                throw ServerError(.invalidConfiguration, "request limits must be positive")
            }
            if let token = self.apiToken, token.utf8.count < 16 {
                throw ServerError(.invalidConfiguration, "ATTEST_API_TOKEN must have at least 16 characters")
            }
        }
    }

    /// One row of the jobs gauge: how many jobs of a kind are in a state.
    public struct JobCount: Sendable {
        public var kind: String
        public var state: String
        public var count: Int

        public init(kind: String, state: String, count: Int) {
            self.kind = kind
            self.state = state
            self.count = count
        }
    }

    public let configuration: Configuration
    let pool: PGPool
    let store: any DocumentStore
    let registry: PrometheusCollectorRegistry
    let jobCounts: @Sendable () async throws -> [JobCount]
    let logger: Logger
    let pages: PageRenderer
    /// One per server, so that every router built from it refreshes the same gauges.
    let jobGauges: JobGauges
    let lookup: VerificationLookup

    /// - Parameters:
    ///   - registry: the registry `/metrics` writes out; the one the process bootstrapped swift-metrics with.
    ///   - jobCounts: read by `refreshJobGauges()`, to refresh the jobs gauge.
    package init(
        configuration: Configuration,
        pool: PGPool,
        store: any DocumentStore,
        registry: PrometheusCollectorRegistry,
        jobCounts: @escaping @Sendable () async throws -> [JobCount] = { [] },
        logger: Logger
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.pool = pool
        self.store = store
        self.registry = registry
        self.jobCounts = jobCounts
        self.logger = logger
        self.pages = try PageRenderer(host: Self.host(of: configuration.publicBaseURL))
        self.jobGauges = JobGauges(registry: registry)
        self.lookup = VerificationLookup(pool: pool, maximumConcurrentQueries: configuration.maximumConcurrentLookups)
    }

    /// Reads the job counts once and sets the `attest_jobs` gauge from them; `/metrics` reports what the last call
    /// read. `attest serve` calls it on a timer. A failure is logged and keeps the last values: the HTTP and worker
    /// metrics are still worth scraping while the database is down.
    public func refreshJobGauges() async {
        do {
            self.jobGauges.update(try await self.jobCounts())
        } catch {
            self.logger.warning("Could not count jobs for the metrics", metadata: [HTTPMetadataKey.error: "\(error)"])
        }
    }

    /// The router with every route and middleware; tests drive it with `app.test(.router)`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(styleSource: self.pages.styleSource))
        router.add(middleware: ErrorMiddleware(pages: self.pages))
        VerificationRoutes(server: self).register(on: router)
        CompletionRoutes(server: self).register(on: router)
        OperationsRoutes(server: self).register(on: router)
        RecordRoutes(server: self).register(on: router)
        return router
    }

    /// The Hummingbird application, a ServiceLifecycle `Service` that serves until graceful shutdown.
    public func application(
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: self.router(),
            server: .http1(configuration: .init(idleTimeout: TimeAmount(self.configuration.idleTimeout))),
            configuration: .init(
                address: .hostname(self.configuration.host, port: self.configuration.port),
                serverName: nil,
                backlog: 1024
            ),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: self.logger
        )
    }

    private static func host(of url: String) -> String {
        let withoutScheme = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
        return withoutScheme.map(String.init) ?? url
    }
}
