// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestDatabase
import AttestHTTP
import AttestPQ
import AttestQueue
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `attest demo`: the embedded default. A private PostgreSQL (unless DATABASE_URL is set), the sample
/// completions submitted, a worker run until they are rendered, a table of what was issued, then the
/// verification server until Ctrl-C.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Attest end to end on its own: private PostgreSQL, sample certificates, their URLs and files.",
        discussion: """
            Without DATABASE_URL, starts (or reuses) a private PostgreSQL cluster under .attest/postgres that keeps \
            its data between runs and is stopped when the demo ends or on Ctrl-C. Migrates it, submits the \
            completions in --samples through attest.submit_completion (running again submits nothing new), runs a \
            worker until every certificate is rendered into ATTEST_STORAGE_DIR, and prints learner, verification \
            URL and file for each. Then serves those URLs (on the host and port of ATTEST_PUBLIC_URL) until \
            Ctrl-C; --no-serve exits after the table instead.
            """
    )

    @OptionGroup var common: CommonOptions
    @Option(help: "JSON Lines completions to submit.") var samples = "samples/completions.jsonl"
    @Option(help: "Where the private PostgreSQL cluster lives (without DATABASE_URL).") var clusterDirectory = ".attest/postgres"
    @Flag(help: "Exit after printing the table instead of starting the verification server.") var noServe = false

    func run() async throws {
        let settings = try self.common.settings()
        let logger = Logger(label: "attest.demo")
        var cluster: PrivateCluster?
        let url: String
        if let configured = settings.databaseURL {
            url = configured
        } else {
            let privateCluster = try PrivateCluster(directory: URL(fileURLWithPath: self.clusterDirectory), logger: logger)
            try await privateCluster.start()
            cluster = privateCluster
            url = privateCluster.connectionString
            print("PostgreSQL: private cluster in \(self.clusterDirectory) (\(url))")
        }
        do {
            let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await self.demonstrate(settings: settings, url: url, logger: logger)
                    return true
                }
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return false }
                    return false
                }
                let finished = try await group.next() ?? false
                group.cancelAll()
                if !finished { print("\ninterrupted; stopping") }
                return finished
            }
            if finished && !self.noServe {
                try await self.serve(settings: settings, url: url, logger: logger)
            }
        } catch {
            await cluster?.stop()
            throw error
        }
        await cluster?.stop()
    }

    private func demonstrate(settings: AttestSettings, url: String, logger: Logger) async throws {
        let externalIDs = try await PGConnection.withConnection(to: url) { connection in
            let report = try await Migrator(migrations: try Migration.bundled(), logger: logger).migrate(on: connection)
            print("schema: version \(report.version)")
            return try await self.submitSamples(on: connection)
        }

        var configuration = JobWorker.Configuration()
        configuration.drain = true
        configuration.concurrency = 4
        configuration.kinds = [CertificateRenderHandler.kind]
        configuration.pollInterval = .milliseconds(500)
        // With the rescuer, so that jobs an earlier demo left running when it was killed run again.
        let workers = try WorkerAssembly(
            settings: settings,
            url: url,
            configuration: configuration,
            conversion: nil,
            rescueInterval: .seconds(1),
            logger: logger
        )
        do {
            try await ServiceGroup(
                configuration: .init(services: workers.services(endsGroup: true), logger: logger)
            ).run()
            let issued = try await workers.pool.withConnection { connection in
                try await CertificateRepository().list(externalIDs: externalIDs, on: connection)
            }
            self.printTable(issued.map(\.certificate), settings: settings)
            let discarded = try await JobAdministration(pool: workers.pool)
                .list(state: .discarded, kind: CertificateRenderHandler.kind, limit: 20)
            for job in discarded {
                print("discarded job \(job.id): \(job.lastError ?? "no error recorded")")
            }
        } catch {
            await workers.shutdown()
            throw error
        }
        await workers.shutdown()
    }

    /// Runs the verification server on the public URL's host and port until Ctrl-C or SIGTERM, which shut it
    /// down gracefully (its own ServiceGroup, as in `attest serve`).
    private func serve(settings: AttestSettings, url: String, logger: Logger) async throws {
        let listen = ServeCommand.listenAddress(settings: settings, host: nil, port: nil)
        let pool = PGPool(configuration: .init(connectionString: url, maximumConnections: 4), logger: logger)
        let server = try VerificationServerFactory.make(
            settings: settings,
            host: listen.host,
            port: listen.port,
            pool: pool,
            registry: MetricsBootstrap.start(),
            logger: logger
        )
        let application = server.application { port in
            print("")
            print("verification server: listening on \(listen.host):\(port); open the verification URLs above")
            print("  JSON: add .json to a URL · PDF: add /certificate.pdf · health: \(settings.publicBaseURL)/readyz")
            print("  metrics: \(settings.publicBaseURL)/metrics · press Ctrl-C to stop")
            // Shown at once even when standard output is a pipe or a file.
            fflush(nil)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: application), .init(service: JobGaugeRefresher(server: server))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            try? await pool.close()
            throw error
        }
        try await pool.close()
        print("verification server stopped")
    }

    /// Submits every valid sample line; returns the external ids in file order.
    private func submitSamples(on connection: PGConnection) async throws -> [String] {
        let reader = try LineReader(path: self.samples)
        var documents: [String] = []
        var externalIDs: [String] = []
        while let line = try reader.next() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let externalID = object["external_id"] as? String
            else { continue }
            documents.append(String(decoding: line, as: UTF8.self))
            externalIDs.append(externalID)
        }
        let results = try await CompletionRepository().submit(documents, on: connection)
        let created = results.filter(\.created).count
        print("completions: \(documents.count) in \(self.samples), \(created) new, \(documents.count - created) already submitted")
        return externalIDs
    }

    private func printTable(_ certificates: [CertificateRecord], settings: AttestSettings) {
        let storage = URL(fileURLWithPath: settings.storageDirectory).standardizedFileURL
        let nameWidth = min(32, certificates.map(\.learnerName.count).max() ?? 0)
        print("")
        print("learner".padded(to: nameWidth) + "  verification URL".padded(to: 70) + "  file")
        for certificate in certificates {
            let name = certificate.learnerName.count > nameWidth
                ? String(certificate.learnerName.prefix(nameWidth - 1)) + "…" : certificate.learnerName
            let url = "\(settings.publicBaseURL)/v/\(certificate.verificationCode)"
            let file = certificate.documentPath.map { storage.appendingPathComponent($0).path } ?? "(not rendered)"
            print(name.padded(to: nameWidth) + "  " + url.padded(to: 68) + "  " + file)
        }
        print("")
        print("\(certificates.filter { $0.status == .issued }.count) of \(certificates.count) certificates issued")
    }
}
