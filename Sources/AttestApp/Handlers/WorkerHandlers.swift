// Attest — certificates and documents you can verify. Apache-2.0.

import AttestConversion
import AttestFiles
import AttestPQ
import AttestQueue

/// The job kinds an `attest worker` runs, wired to their dependencies.
enum WorkerHandlers {
    static func standard(
        settings: AttestSettings,
        pool: PGPool,
        renderer: CertificateRenderService,
        workerID: String
    ) throws -> [String: any JobHandler] {
        let store = try LocalDocumentStore(root: settings.storageDirectory)
        return [
            NoopHandler.kind: NoopHandler(),
            ProbeHandler.kind: ProbeHandler(pool: pool, workerID: workerID),
            CertificateRenderHandler.kind: CertificateRenderHandler(
                pool: pool,
                store: store,
                renderer: renderer,
                publicURL: settings.publicBaseURL,
                defaultTemplate: settings.defaultTemplate
            ),
        ]
    }

    /// The handlers of the conversion worker, which runs `document.convert` on its own queue.
    static func conversion(settings: AttestSettings, pool: PGPool, converter: ConversionPool) throws -> [String: any JobHandler] {
        let store = try LocalDocumentStore(root: settings.storageDirectory)
        return [DocumentConvertHandler.kind: DocumentConvertHandler(pool: pool, store: store, converter: converter)]
    }
}
