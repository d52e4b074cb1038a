// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import NIOPosix
import Synchronization

/// Renders certificates on a thread of its own, so Cairo and Pango never run on Swift's cooperative pool,
/// with templates loaded once and one renderer per template and thread (renderers are not thread-safe).
final class CertificateRenderService: Sendable {
    /// A renderer lent to one thread-pool job at a time.
    ///
    /// `@unchecked Sendable` because it is a handle box: `take` removes it from the idle list before a job uses
    /// it and `give` puts it back afterwards, so no two threads ever hold it at once.
    private final class RendererBox: @unchecked Sendable {
        let renderer: CertificateRenderer

        init(_ renderer: CertificateRenderer) {
            self.renderer = renderer
        }
    }

    private let threadPool: NIOThreadPool
    private let fonts: FontSet
    private let loader: TemplateLoader
    private let templates = Mutex<[String: CertificateTemplate]>([:])
    private let idle = Mutex<[String: [RendererBox]]>([:])

    /// Loads the configured fonts and starts one render thread: renders take turns in a process anyway
    /// (`RenderingLock` in AttestRendering says why), so more threads would only wait; more worker processes use
    /// more cores.
    init(settings: AttestSettings) throws {
        self.fonts = try FontSet(directory: settings.fontsDirectory)
        self.loader = TemplateLoader(directory: settings.templatesDirectory)
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        self.threadPool.start()
    }

    /// The template with this id, loaded and validated once.
    func template(id: String) throws -> CertificateTemplate {
        if let template = self.templates.withLock({ $0[id] }) { return template }
        let template = try self.loader.load(id: id)
        self.templates.withLock { $0[id] = template }
        return template
    }

    /// Renders one certificate to PDF bytes; the same content always gives the same bytes.
    func render(_ content: CertificateContent, templateID: String) async throws -> [UInt8] {
        let template = try self.template(id: templateID)
        let box = try self.idle.withLock { $0[templateID]?.popLast() } ?? RendererBox(
            CertificateRenderer(template: template, fonts: self.fonts)
        )
        defer { self.idle.withLock { $0[templateID, default: []].append(box) } }
        return try await self.threadPool.runIfActive {
            try box.renderer.render(content).pdf
        }
    }

    func shutdown() async throws {
        try await self.threadPool.shutdownGracefully()
    }
}
