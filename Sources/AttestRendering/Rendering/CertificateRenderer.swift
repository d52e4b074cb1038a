// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore

/// Renders certificates of one template to PDF (and optionally a PNG preview).
///
/// Everything that does not depend on the certificate is prepared once in `init`: the font map, one Pango layout
/// and font description per text block, the layouts of static text, the background image. A render call then only
/// lays out the printed values, encodes the QR code and writes the PDF.
///
/// Rendering is synchronous CPU work (about a millisecond or two per certificate). Call `render` from a thread pool
/// (for example `NIOThreadPool`) or a dedicated thread, never directly on Swift's cooperative pool. A renderer is
/// not thread-safe: give each thread its own; they may share one `FontSet`.
package final class CertificateRenderer {
    /// Options for one render call.
    package struct Options: Sendable {
        /// Also draw a PNG preview at this resolution (dots per inch). Defaults to nil (no preview).
        package var previewDPI: Double?

        package init(previewDPI: Double? = nil) {
            self.previewDPI = previewDPI
        }
    }

    /// A rendered certificate.
    package struct Output: Sendable {
        /// The PDF file.
        package var pdf: [UInt8]
        /// The preview, when asked for.
        package var png: [UInt8]?
        /// Where each text block was placed (blocks left out for missing values are absent).
        package var placedTexts: [PlacedText]
    }

    package let template: CertificateTemplate
    private let fontMap: FontMap
    /// One layout per text block, in template order.
    private let layouts: [TextLayout]
    /// Placements of static blocks, computed once.
    private let staticPlacements: [Int: PlacedText]
    /// The last placement of each dynamic block: a block whose text did not change (the organisation and course of
    /// a batch) is not shaped and fitted again, since its layout still holds that result.
    private var lastPlacements: [Int: PlacedText] = [:]
    private let backgroundImage: CairoSurface?
    private let formatter = ValueFormatter()
    /// Block ids to their index in `template.texts` (and `layouts`).
    private let blockIndexByID: [String: Int]

    package init(template: CertificateTemplate, fonts: FontSet) throws {
        RenderingLock.enter()
        defer { RenderingLock.leave() }
        self.template = template
        self.fontMap = try FontMap(configuration: fonts.configuration)
        var layouts: [TextLayout] = []
        var staticPlacements: [Int: PlacedText] = [:]
        for (index, block) in template.texts.enumerated() {
            let layout = TextLayout(fontMap: self.fontMap, style: block.style)
            layouts.append(layout)
            if block.isStatic, let text = block.text.resolve([:]) {
                staticPlacements[index] = TextFitter.fit(text, block: block, layout: layout)
            }
        }
        self.layouts = layouts
        self.staticPlacements = staticPlacements
        self.blockIndexByID = Dictionary(
            template.texts.enumerated().map { ($1.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        if let image = template.background.image {
            do {
                self.backgroundImage = try CairoSurface.png(image)
            } catch let error as RenderError {
                throw RenderError(
                    .invalidTemplate,
                    "template \(template.id): background: image \"\(template.background.imageName ?? "")\" cannot be read: \(error.message)",
                    underlying: error
                )
            }
        } else {
            self.backgroundImage = nil
        }
    }

    // MARK: - Rendering

    /// Lays out the content and returns where each block goes, without drawing (for tests and template design).
    package func layout(_ content: CertificateContent) throws -> [PlacedText] {
        try RenderingLock.run {
            try content.validate()
            return self.placeTexts(self.values(for: content))
        }
    }

    /// Renders one certificate. The same content always gives the same bytes.
    package func render(_ content: CertificateContent, options: Options = .init()) throws -> Output {
        try RenderingLock.run {
            try content.validate()
            let values = self.values(for: content)
            let placements = self.placeTexts(values)
            let qr = try QRMatrix(encoding: content.verificationURL, level: self.template.qr.level)

            let surface = try CairoSurface.pdf(width: self.template.pageWidth, height: self.template.pageHeight)
            let metadata = self.template.metadata
            surface.setPDFMetadata(.title, metadata.title.resolve(values) ?? "Certificate")
            surface.setPDFMetadata(.author, content.organisation)
            if let subject = metadata.subject.resolve(values) { surface.setPDFMetadata(.subject, subject) }
            if let keywords = metadata.keywords.resolve(values) { surface.setPDFMetadata(.keywords, keywords) }
            surface.setPDFMetadata(.creator, "Attest")
            let issued = content.issuedOn.description + "T00:00:00Z"
            surface.setPDFMetadata(.creationDate, issued)
            surface.setPDFMetadata(.modificationDate, issued)
            let finished: [UInt8]
            do {
                let context = try CairoContext(surface: surface)
                try self.draw(on: context, placements: placements, qr: qr, url: content.verificationURL)
                try context.checkStatus("drawing the certificate")
                finished = try surface.finishPDF()
            } catch {
                surface.abandonPDF()
                throw error
            }
            let language = self.template.metadata.language ?? content.locale
            let pdf = PDFCatalogEditor.addingLanguage(language, to: finished)

            var png: [UInt8]?
            if let dpi = options.previewDPI {
                let scale = dpi / 72
                let image = try CairoSurface.image(
                    width: Int((self.template.pageWidth * scale).rounded()),
                    height: Int((self.template.pageHeight * scale).rounded())
                )
                let context = try CairoContext(surface: image)
                context.scale(scale, scale)
                // Paper is white; a PNG would otherwise be transparent where the template draws nothing.
                context.setColor(.white)
                context.paint()
                try self.draw(on: context, placements: placements, qr: qr, url: content.verificationURL)
                try context.checkStatus("drawing the preview")
                png = try image.pngBytes()
            }
            return Output(pdf: pdf, png: png, placedTexts: placements)
        }
    }

    // MARK: - Values and layout

    private func values(for content: CertificateContent) -> [Placeholder: String] {
        var values: [Placeholder: String] = [
            .learnerName: CompletionRules.normalised(content.learnerName),
            .courseTitle: CompletionRules.normalised(content.courseTitle),
            .organisation: CompletionRules.normalised(content.organisation),
            .issuedOn: self.formatter.date(content.issuedOn, locale: content.locale),
            .verificationCode: content.verificationCode,
            .verificationURL: content.verificationURL,
            .verificationURLShort: Self.shortURL(content.verificationURL),
        ]
        if let score = content.score { values[.score] = self.formatter.score(score, locale: content.locale) }
        if let programTitle = content.programTitle { values[.programTitle] = CompletionRules.normalised(programTitle) }
        return values
    }

    /// The URL without its scheme: `verify.example.org/v/abc`.
    static func shortURL(_ url: String) -> String {
        for scheme in ["https://", "http://"] where url.lowercased().hasPrefix(scheme) {
            return String(url.dropFirst(scheme.count))
        }
        return url
    }

    private func placeTexts(_ values: [Placeholder: String]) -> [PlacedText] {
        var placements: [PlacedText] = []
        for (index, block) in self.template.texts.enumerated() {
            if let placed = self.staticPlacements[index] {
                placements.append(placed)
            } else if let text = block.text.resolve(values), !text.isEmpty {
                if let last = self.lastPlacements[index], last.text == text {
                    placements.append(last)
                } else {
                    let placed = TextFitter.fit(text, block: block, layout: self.layouts[index])
                    self.lastPlacements[index] = placed
                    placements.append(placed)
                }
            }
        }
        return placements
    }

    // MARK: - Drawing

    private func draw(
        on context: CairoContext,
        placements: [PlacedText],
        qr: QRMatrix,
        url: String
    ) throws {
        let template = self.template
        if let color = template.background.color {
            context.setColor(color)
            context.rectangle(0, 0, template.pageWidth, template.pageHeight)
            context.fill()
        }
        if let image = self.backgroundImage {
            context.paintImage(image, width: template.pageWidth, height: template.pageHeight)
        }
        for shape in template.shapes {
            ShapePainter.draw(shape, on: context, pageWidth: template.pageWidth, pageHeight: template.pageHeight)
        }
        for placed in placements {
            guard let index = self.blockIndexByID[placed.blockID] else { continue }
            let block = template.texts[index]
            let layout = self.layouts[index]
            // Static blocks share their layout with nothing else, so it still holds their text; dynamic blocks
            // were laid out last by placeTexts, in this same order, and each has its own layout.
            context.setColor(block.style.color)
            if block.isLink {
                context.withLink(to: url) { layout.draw(on: context, x: placed.origin.x, y: placed.origin.y) }
            } else {
                layout.draw(on: context, x: placed.origin.x, y: placed.origin.y)
            }
        }
        try context.withLink(to: url) {
            try QRPainter.draw(qr, in: template.qr, on: context)
        }
    }
}
