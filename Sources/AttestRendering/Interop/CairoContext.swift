// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo

/// Owns one `cairo_t` drawing on a `CairoSurface`; the only place drawing calls are made.
final class CairoContext {
    let pointer: OpaquePointer
    /// Keeps the surface alive as long as the context draws on it.
    let surface: CairoSurface

    init(surface: CairoSurface) throws {
        let pointer = cairo_create(surface.pointer)!
        if let error = RenderError.cairo(cairo_status(pointer), "creating a drawing context") {
            cairo_destroy(pointer)
            throw error
        }
        self.pointer = pointer
        self.surface = surface
    }

    deinit {
        cairo_destroy(self.pointer)
    }

    /// Throws when an earlier drawing call put the context in an error state.
    func checkStatus(_ action: String) throws {
        if let error = RenderError.cairo(cairo_status(self.pointer), action) { throw error }
    }

    // MARK: - State

    func save() { cairo_save(self.pointer) }
    func restore() { cairo_restore(self.pointer) }
    func scale(_ x: Double, _ y: Double) { cairo_scale(self.pointer, x, y) }
    func translate(_ x: Double, _ y: Double) { cairo_translate(self.pointer, x, y) }
    func rotate(_ radians: Double) { cairo_rotate(self.pointer, radians) }

    func setColor(_ color: RGBAColor) {
        if color.alpha >= 1 {
            cairo_set_source_rgb(self.pointer, color.red, color.green, color.blue)
        } else {
            cairo_set_source_rgba(self.pointer, color.red, color.green, color.blue, color.alpha)
        }
    }

    func setLineWidth(_ width: Double) { cairo_set_line_width(self.pointer, width) }

    func setLineCap(round: Bool) {
        cairo_set_line_cap(self.pointer, round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(self.pointer, round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER)
    }

    func setDash(_ pattern: [Double]) {
        pattern.withUnsafeBufferPointer { buffer in
            cairo_set_dash(self.pointer, buffer.baseAddress, Int32(buffer.count), 0)
        }
    }

    // MARK: - Paths

    func moveTo(_ x: Double, _ y: Double) { cairo_move_to(self.pointer, x, y) }
    func lineTo(_ x: Double, _ y: Double) { cairo_line_to(self.pointer, x, y) }
    func curveTo(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ x: Double, _ y: Double) {
        cairo_curve_to(self.pointer, x1, y1, x2, y2, x, y)
    }
    func closePath() { cairo_close_path(self.pointer) }
    func newPath() { cairo_new_path(self.pointer) }
    func rectangle(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        cairo_rectangle(self.pointer, x, y, width, height)
    }
    func arc(centerX: Double, centerY: Double, radius: Double, from start: Double, to end: Double) {
        cairo_arc(self.pointer, centerX, centerY, radius, start, end)
    }

    func fill(preserve: Bool = false) {
        if preserve { cairo_fill_preserve(self.pointer) } else { cairo_fill(self.pointer) }
    }

    func stroke() { cairo_stroke(self.pointer) }

    func paint() { cairo_paint(self.pointer) }

    /// Paints an image scaled to cover a `width` × `height` rectangle at the origin.
    func paintImage(_ image: CairoSurface, width: Double, height: Double) {
        let size = image.imageSize
        guard size.width > 0, size.height > 0 else { return }
        cairo_save(self.pointer)
        cairo_rectangle(self.pointer, 0, 0, width, height)
        cairo_clip(self.pointer)
        let scale = max(width / Double(size.width), height / Double(size.height))
        cairo_scale(self.pointer, scale, scale)
        cairo_set_source_surface(self.pointer, image.pointer, 0, 0)
        cairo_paint(self.pointer)
        cairo_restore(self.pointer)
    }

    /// Fills the dark modules of `matrix` in the current colour as a 1-bit image mask, one module per pixel,
    /// scaled to `module` points with interpolation off: a few hundred bytes in a PDF, sharp at any zoom.
    func maskModules(_ matrix: QRMatrix, x: Double, y: Double, module: Double) throws {
        let size = Int32(matrix.size)
        let mask = cairo_image_surface_create(CAIRO_FORMAT_A1, size, size)!
        defer { cairo_surface_destroy(mask) }
        if let error = RenderError.cairo(cairo_surface_status(mask), "creating the QR code mask") { throw error }
        cairo_surface_flush(mask)
        let stride = Int(cairo_image_surface_get_stride(mask))
        let data = cairo_image_surface_get_data(mask)!
        for row in 0..<matrix.size {
            let line = data + row * stride
            for word in 0..<(stride / 4) {
                var bits: UInt32 = 0
                for bit in 0..<32 {
                    let column = word * 32 + bit
                    // A1 pixels: the first pixel is the least significant bit on little-endian machines.
                    if column < matrix.size, matrix.isDark(row: row, column: column) {
                        bits |= (1 as UInt32) << (UInt32(1).littleEndian == 1 ? UInt32(bit) : UInt32(31 - bit))
                    }
                }
                UnsafeMutableRawPointer(line + word * 4).storeBytes(of: bits, as: UInt32.self)
            }
        }
        cairo_surface_mark_dirty(mask)
        let pattern = cairo_pattern_create_for_surface(mask)!
        defer { cairo_pattern_destroy(pattern) }
        cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST)
        var matrixTransform = cairo_matrix_t()
        cairo_matrix_init_scale(&matrixTransform, 1 / module, 1 / module)
        cairo_matrix_translate(&matrixTransform, -x, -y)
        cairo_pattern_set_matrix(pattern, &matrixTransform)
        cairo_mask(self.pointer, pattern)
    }

    // MARK: - Tags

    /// Makes everything drawn in `body` a clickable link to `uri` in the PDF.
    func withLink(to uri: String, _ body: () throws -> Void) rethrows {
        var escaped = ""
        for character in uri {
            if character == "'" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        cairo_tag_begin(self.pointer, CAIRO_TAG_LINK, "uri='\(escaped)'")
        defer { cairo_tag_end(self.pointer, CAIRO_TAG_LINK) }
        try body()
    }
}
