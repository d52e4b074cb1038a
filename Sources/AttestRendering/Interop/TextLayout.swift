// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo
internal import CPango

/// Owns a `PangoLayout` and its font description: one text block of a template, shaped with bidi and per-glyph
/// font fallback, reused from certificate to certificate (only its text and size change).
final class TextLayout {
    private let layout: OpaquePointer
    private let font: OpaquePointer
    /// Keeps the context and font map alive as long as the layout uses them.
    private let fontMap: FontMap
    private var currentText: String?
    private var currentSize: Double = 0
    private var currentWidth: Double?
    private let letterSpacing: Double
    private let features: String?

    init(fontMap: FontMap, style: TextStyle) {
        self.fontMap = fontMap
        self.layout = pango_layout_new(fontMap.context)
        self.font = pango_font_description_new()
        self.letterSpacing = style.letterSpacing
        self.features = style.features
        pango_font_description_set_family(self.font, style.family)
        pango_font_description_set_weight(self.font, PangoWeight(rawValue: UInt32(style.weight)))
        pango_font_description_set_style(self.font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        let alignment: PangoAlignment =
            switch style.alignment {
            case .left: PANGO_ALIGN_LEFT
            case .center: PANGO_ALIGN_CENTER
            case .right: PANGO_ALIGN_RIGHT
            }
        pango_layout_set_alignment(self.layout, alignment)
        pango_layout_set_wrap(self.layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_ellipsize(self.layout, PANGO_ELLIPSIZE_NONE)
        if style.lineSpacing > 0 { pango_layout_set_line_spacing(self.layout, Float(style.lineSpacing)) }
        self.setAttributes()
    }

    deinit {
        pango_font_description_free(self.font)
        g_object_unref(UnsafeMutableRawPointer(self.layout))
    }

    /// Sets the text, if it changed.
    func setText(_ text: String) {
        guard text != self.currentText else { return }
        self.currentText = text
        pango_layout_set_text(self.layout, text, -1)
    }

    /// Sets the font size in points, if it changed.
    func setSize(_ points: Double) {
        guard points != self.currentSize else { return }
        self.currentSize = points
        pango_font_description_set_absolute_size(self.font, points * Double(PANGO_SCALE))
        pango_layout_set_font_description(self.layout, self.font)
    }

    /// Sets the wrapping width in points, or nil for one line per paragraph, if it changed.
    func setWrapWidth(_ points: Double?) {
        guard points != self.currentWidth else { return }
        self.currentWidth = points
        pango_layout_set_width(self.layout, points.map { Int32(($0 * Double(PANGO_SCALE)).rounded(.down)) } ?? -1)
    }

    /// The logical extents (what the text occupies, line height included) and the ink extents, in points,
    /// relative to the layout's top-left corner.
    var extents: (logical: Rect, ink: Rect) {
        var ink = PangoRectangle()
        var logical = PangoRectangle()
        pango_layout_get_extents(self.layout, &ink, &logical)
        return (Rect(pango: logical), Rect(pango: ink))
    }

    /// The font size last set, in points.
    var currentFontSize: Double { self.currentSize }

    var lineCount: Int { Int(pango_layout_get_line_count(self.layout)) }

    /// Whether Pango broke a line inside a word (or ellipsized, which Attest never asks for).
    var isEllipsized: Bool { pango_layout_is_ellipsized(self.layout) != 0 }

    /// Draws the layout with its top-left corner at (x, y) in the context's current colour.
    func draw(on context: CairoContext, x: Double, y: Double) {
        cairo_move_to(context.pointer, x, y)
        pango_cairo_show_layout(context.pointer, self.layout)
    }

    private func setAttributes() {
        let attributes = pango_attr_list_new()
        if self.letterSpacing != 0 {
            pango_attr_list_insert(
                attributes,
                pango_attr_letter_spacing_new(Int32(self.letterSpacing * Double(PANGO_SCALE)))
            )
        }
        if let features = self.features {
            pango_attr_list_insert(attributes, pango_attr_font_features_new(features))
        }
        pango_layout_set_attributes(self.layout, attributes)
        pango_attr_list_unref(attributes)
    }
}

extension Rect {
    fileprivate init(pango rectangle: PangoRectangle) {
        let scale = Double(PANGO_SCALE)
        self.init(
            x: Double(rectangle.x) / scale,
            y: Double(rectangle.y) / scale,
            width: Double(rectangle.width) / scale,
            height: Double(rectangle.height) / scale
        )
    }
}
