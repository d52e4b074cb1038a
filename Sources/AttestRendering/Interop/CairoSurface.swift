// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo

/// Owns one `cairo_surface_t`: a PDF document written to memory, or an ARGB image for PNG previews and backgrounds.
final class CairoSurface {
    let pointer: OpaquePointer
    /// Receives the PDF bytes; nil for image surfaces.
    private let sink: ByteSink?
    private var finished = false

    private init(pointer: OpaquePointer, sink: ByteSink?) {
        self.pointer = pointer
        self.sink = sink
    }

    /// Destroying an unfinished PDF surface finishes it into `sink`, which outlives this body, so an abandoned
    /// surface is safe in every build; no debug-only assertion stands in for that.
    deinit {
        cairo_surface_destroy(self.pointer)
    }

    /// A one-page PDF of `width` × `height` points, written to memory.
    static func pdf(width: Double, height: Double) throws -> CairoSurface {
        let sink = ByteSink(reservingCapacity: 64 * 1024)
        let pointer = cairo_pdf_surface_create_for_stream(
            ByteSink.write,
            Unmanaged.passUnretained(sink).toOpaque(),
            width,
            height
        )!
        if let error = RenderError.cairo(cairo_surface_status(pointer), "creating a PDF surface") {
            cairo_surface_destroy(pointer)
            throw error
        }
        return CairoSurface(pointer: pointer, sink: sink)
    }

    /// An ARGB image of `width` × `height` pixels.
    static func image(width: Int, height: Int) throws -> CairoSurface {
        let pointer = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        if let error = RenderError.cairo(cairo_surface_status(pointer), "creating an image surface") {
            cairo_surface_destroy(pointer)
            throw error
        }
        return CairoSurface(pointer: pointer, sink: nil)
    }

    /// Decodes a PNG held in memory.
    static func png(_ bytes: [UInt8]) throws -> CairoSurface {
        let source = ByteSource(bytes)
        let pointer = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(ByteSource.read, Unmanaged.passUnretained(source).toOpaque())!
        }
        if let error = RenderError.cairo(cairo_surface_status(pointer), "reading a PNG image") {
            cairo_surface_destroy(pointer)
            throw error
        }
        return CairoSurface(pointer: pointer, sink: nil)
    }

    /// Width and height of an image surface, in pixels.
    var imageSize: (width: Int, height: Int) {
        (Int(cairo_image_surface_get_width(self.pointer)), Int(cairo_image_surface_get_height(self.pointer)))
    }

    /// Sets one PDF metadata entry (`CAIRO_PDF_METADATA_*`).
    func setPDFMetadata(_ key: PDFMetadataKey, _ value: String) {
        let metadata: cairo_pdf_metadata_t =
            switch key {
            case .title: CAIRO_PDF_METADATA_TITLE
            case .author: CAIRO_PDF_METADATA_AUTHOR
            case .subject: CAIRO_PDF_METADATA_SUBJECT
            case .keywords: CAIRO_PDF_METADATA_KEYWORDS
            case .creator: CAIRO_PDF_METADATA_CREATOR
            case .creationDate: CAIRO_PDF_METADATA_CREATE_DATE
            case .modificationDate: CAIRO_PDF_METADATA_MOD_DATE
            }
        cairo_pdf_surface_set_metadata(self.pointer, metadata, value)
    }

    /// Finishes the PDF and returns its bytes. Call once.
    func finishPDF() throws -> [UInt8] {
        precondition(!self.finished, "finishPDF() called twice")
        self.finished = true
        cairo_surface_finish(self.pointer)
        if let error = RenderError.cairo(cairo_surface_status(self.pointer), "writing the PDF") { throw error }
        return self.sink?.bytes ?? []
    }

    /// Gives up on a PDF after an error: finishes it and drops its bytes.
    func abandonPDF() {
        guard !self.finished else { return }
        self.finished = true
        cairo_surface_finish(self.pointer)
        self.sink?.bytes = []
    }

    /// Encodes an image surface as PNG.
    func pngBytes() throws -> [UInt8] {
        cairo_surface_flush(self.pointer)
        let sink = ByteSink(reservingCapacity: 256 * 1024)
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(self.pointer, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        }
        if let error = RenderError.cairo(status, "writing a PNG image") { throw error }
        return sink.bytes
    }
}

/// The PDF document-information entries Cairo can write.
enum PDFMetadataKey {
    case title, author, subject, keywords, creator, creationDate, modificationDate
}
