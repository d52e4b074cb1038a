// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestConversion
import AttestPQ
import AttestQueue
import Logging
import ServiceLifecycle

/// Everything a process needs to run jobs, built one way for `attest worker` and `attest serve --with-worker`:
/// a database pool of its own, the render service, the LibreOffice pool (its hosts start at the first
/// conversion), one job worker per concurrency limit, the lease rescuer and the pruner.
struct WorkerAssembly {
    let pool: PGPool
    let renderer: CertificateRenderService
    let converter: ConversionPool?
    let workers: WorkerSet
    let rescuer: JobRescuer
    let cleaner: JobCleaner
    /// The kinds these workers run, for the start-up log line.
    let kinds: [String]

    /// Builds the workers from `configuration` (the certificate worker's); with a `conversion` configuration,
    /// `document.convert` runs on its own queue with one slot per LibreOffice host (nil: no conversions).
    init(
        settings: AttestSettings,
        url: String,
        configuration: JobWorker.Configuration,
        conversion: ConversionPool.Configuration?,
        rescueInterval: Duration,
        logger: Logger
    ) throws {
        var configuration = configuration
        configuration.kinds = configuration.kinds?.filter { $0 != DocumentConvertHandler.kind }

        let pool = PGPool(
            configuration: .init(connectionString: url, maximumConnections: min(configuration.concurrency, 16) + 4),
            logger: logger
        )
        let renderer = try CertificateRenderService(settings: settings, logger: logger)
        let handlers = try WorkerHandlers.standard(
            settings: settings,
            pool: pool,
            renderer: renderer,
            workerID: configuration.workerID
        )
        var workers: [JobWorker] = []
        var kinds: [String] = []
        if configuration.kinds?.isEmpty != true {
            workers.append(
                try JobWorker(configuration: configuration, pool: pool, connectionString: url, handlers: handlers, logger: logger)
            )
            kinds += configuration.kinds ?? handlers.keys.sorted()
        }
        var converter: ConversionPool?
        if let conversion {
            let conversionPool = try ConversionPool(configuration: conversion, logger: logger)
            converter = conversionPool
            var conversionConfiguration = configuration
            conversionConfiguration.queues = [DocumentConvertHandler.queue]
            conversionConfiguration.kinds = [DocumentConvertHandler.kind]
            conversionConfiguration.concurrency = conversion.hosts
            conversionConfiguration.workerID = configuration.workerID + "-conversions"
            workers.append(
                try JobWorker(
                    configuration: conversionConfiguration,
                    pool: pool,
                    connectionString: url,
                    handlers: try WorkerHandlers.conversion(settings: settings, pool: pool, converter: conversionPool),
                    logger: logger
                )
            )
            kinds.append(DocumentConvertHandler.kind)
        }
        guard !workers.isEmpty else {
            throw ValidationError("--kinds names no job kind this worker runs")
        }
        var rescuerConfiguration = JobRescuer.Configuration()
        rescuerConfiguration.interval = rescueInterval
        self.pool = pool
        self.renderer = renderer
        self.converter = converter
        self.workers = WorkerSet(workers: workers)
        self.rescuer = JobRescuer(configuration: rescuerConfiguration, pool: pool, logger: logger)
        self.cleaner = JobCleaner(configuration: .init(), pool: pool, logger: logger)
        self.kinds = kinds
    }

    /// The services to run in the process's ServiceGroup; the workers' return ends the group when `endsGroup`.
    func services(endsGroup: Bool) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        [
            .init(service: self.workers, successTerminationBehavior: endsGroup ? .gracefullyShutdownGroup : .cancelGroup),
            .init(service: self.rescuer),
            .init(service: self.cleaner),
        ]
    }

    /// Stops the LibreOffice hosts, closes the pool and the render threads; after the group has run.
    func shutdown() async {
        await self.converter?.shutdown()
        try? await self.pool.close()
        try? await self.renderer.shutdown()
    }
}
