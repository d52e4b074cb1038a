// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import AttestHTTP
import AttestPQ
import AttestQueue
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `attest serve`: the verification server (pages, JSON, PDFs, the completion API, health, metrics) until
/// SIGTERM/SIGINT; with `--with-worker`, a job worker in the same process and ServiceGroup.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve verification pages, the completion API, health checks and metrics.",
        discussion: """
            Listens on --host/--port (default: the host and port of ATTEST_PUBLIC_URL when it names a loopback \
            address, otherwise 0.0.0.0:8080). Routes: GET /v/{code} (page; .json or Accept: application/json \
            for JSON), GET /v/{code}/certificate.pdf, POST /v/{code}/check, POST /api/completions (Bearer \
            ATTEST_API_TOKEN; off when unset), GET /healthz, /readyz, /metrics. SIGTERM or SIGINT stops \
            accepting connections and lets requests in flight finish. --with-worker also runs the job workers \
            of `attest worker` in this process (certificates, and conversions with the LibreOffice settings \
            of ATTEST_CONVERSION_*), for small installations.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Interface to listen on.")
    var host: String?

    @Option(help: "TCP port to listen on.")
    var port: Int?

    @Flag(help: "Also run a job worker (and its rescuer and cleaner) in this process.")
    var withWorker = false

    @Option(help: "Jobs the worker runs at once (with --with-worker).")
    var concurrency = 4

    @Option(help: "Database connections the server keeps for requests.")
    var connections = 8

    func validate() throws {
        if let port = self.port, !(0...65_535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535")
        }
        guard (1...1000).contains(self.concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 1000")
        }
        guard (1...256).contains(self.connections) else {
            throw ValidationError("--connections must be between 1 and 256")
        }
    }

    func run() async throws {
        let settings = try self.common.settings()
        let url = try settings.requireDatabaseURL()
        let registry = MetricsBootstrap.start()
        let logger = Logger(label: "attest.serve")
        let listen = Self.listenAddress(settings: settings, host: self.host, port: self.port)

        let pool = PGPool(
            configuration: .init(connectionString: url, maximumConnections: self.connections), logger: logger)
        let server = try VerificationServerFactory.make(
            settings: settings,
            host: listen.host,
            port: listen.port,
            pool: pool,
            registry: registry,
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var assembly: WorkerAssembly?
        if self.withWorker {
            // Its own pool (inside the assembly), so that a busy worker never makes a verifier wait for a connection.
            var configuration = JobWorker.Configuration()
            configuration.concurrency = self.concurrency
            let workers = try WorkerAssembly(
                settings: settings,
                url: url,
                configuration: configuration,
                conversion: try ConversionOptions.parse([]).poolConfiguration(),
                rescueInterval: JobRescuer.Configuration().interval,
                logger: logger
            )
            assembly = workers
            services += workers.services(endsGroup: false)
        }
        let application = server.application { port in
            logger.notice(
                "Verification server listening",
                metadata: [
                    "http.host": "\(listen.host)", "http.port": "\(port)",
                    "attest.public_url": "\(settings.publicBaseURL)",
                    "attest.api": "\(settings.apiToken == nil ? "off" : "on")",
                    "attest.worker": "\(self.withWorker)",
                ]
            )
        }
        services.append(.init(service: application))
        services.append(.init(service: JobGaugeRefresher(server: server)))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch {
            try? await pool.close()
            await assembly?.shutdown()
            throw error
        }
        try await pool.close()
        await assembly?.shutdown()
    }

    /// Flags first; otherwise ATTEST_PUBLIC_URL's host and port when it is a loopback address (the demo and
    /// development case), else every interface on 8080 (behind a proxy that owns the public URL).
    static func listenAddress(settings: AttestSettings, host: String?, port: Int?) -> (host: String, port: Int) {
        let fromURL = VerificationServerFactory.hostAndPort(of: settings.publicBaseURL)
        let loopback = fromURL.map { ["127.0.0.1", "localhost", "::1"].contains($0.host) } ?? false
        let defaultHost = loopback ? (fromURL?.host ?? "127.0.0.1") : "0.0.0.0"
        let defaultPort = loopback ? (fromURL?.port ?? 8080) : 8080
        return (host ?? defaultHost, port ?? defaultPort)
    }
}
