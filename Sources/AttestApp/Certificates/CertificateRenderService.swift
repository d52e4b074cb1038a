// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestRendering
import Foundation
import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Renders certificates on a thread of its own, so Cairo and Pango never run on Swift's cooperative pool,
/// with templates loaded once and one renderer per template, used only on that thread (renderers are not
/// thread-safe, and each keeps caches of glyphs and layouts that the next certificate reuses).
final class CertificateRenderService: Sendable {
    private let threadPool: NIOThreadPool
    private let fonts: FontSet
    private let loader: TemplateLoader
    private let templates = Mutex<[String: CertificateTemplate]>([:])
    /// Touched only by jobs on the render thread; the lock is never contended.
    private let renderers = Mutex<[String: CertificateRenderer]>([:])

    /// The render thread's nice value, where the process may lower it (root, or `CAP_SYS_NICE`).
    ///
    /// The render thread is the worker's throughput. The process's other threads (database calls, file writes, Swift
    /// tasks) wake for a few microseconds at a time and mostly wait for I/O; at the same priority each wake-up could
    /// preempt a render, and with them a worker on two cores issued a fifth fewer certificates per second than its
    /// render thread alone could draw. Where the kernel groups processes for scheduling (an autogroup per session, or
    /// a cgroup per service as systemd sets up), nice values weigh threads within a group only: this orders the
    /// worker's own threads and takes nothing from other services such as PostgreSQL.
    static let renderThreadNice: Int32 = -10

    /// Loads the configured fonts and starts one render thread: renders take turns in a process anyway
    /// (`RenderingLock` in AttestRendering says why), so more threads would only wait; more worker processes use
    /// more cores.
    init(settings: AttestSettings, logger: Logger) throws {
        self.fonts = try FontSet(directory: settings.fontsDirectory)
        self.loader = TemplateLoader(directory: settings.templatesDirectory)
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        self.threadPool.start()
        #if os(Linux)
            self.threadPool.submit { _ in
                // Linux keeps a nice value per thread, and `who` 0 names the calling thread.
                if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.renderThreadNice) == 0 {
                    logger.debug("Render thread priority raised", metadata: ["render.nice": "\(Self.renderThreadNice)"])
                } else {
                    logger.debug(
                        "Render thread keeps the process's priority",
                        metadata: ["error": "\(String(cString: strerror(errno)))"]
                    )
                }
            }
        #endif
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
        return try await self.threadPool.runIfActive {
            try self.renderers.withLock { renderers in
                let renderer = try renderers[templateID] ?? CertificateRenderer(template: template, fonts: self.fonts)
                renderers[templateID] = renderer
                return try renderer.render(content).pdf
            }
        }
    }

    func shutdown() async throws {
        try await self.threadPool.shutdownGracefully()
    }
}
