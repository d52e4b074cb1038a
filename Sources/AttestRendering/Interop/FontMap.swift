// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo
internal import CPango

/// Owns a Pango font map built on Attest's private fontconfig configuration, and the one Pango context all of a
/// renderer's layouts share (72 dpi so that sizes are points, no hinting, unrounded positions: the layout is the
/// same on every machine and at every zoom).
///
/// Not thread-safe: Pango font maps and contexts belong to one thread at a time.
final class FontMap {
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    /// Keeps the fontconfig configuration alive as long as Pango uses it.
    let configuration: FontConfiguration

    init(configuration: FontConfiguration) throws {
        guard let fontMap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT) else {
            throw RenderError(.pango, "Pango has no FreeType font map: is pangocairo built with FreeType?")
        }
        pango_fc_font_map_set_config(OpaquePointer(fontMap), configuration.pointer)
        guard let context = pango_font_map_create_context(fontMap) else {
            g_object_unref(fontMap)
            throw RenderError(.pango, "Pango could not create a context")
        }
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_cairo_context_set_resolution(context, 72)
        pango_context_set_round_glyph_positions(context, 0)
        // A fixed language, not the process locale's: the same text picks the same fonts everywhere.
        pango_context_set_language(context, pango_language_from_string("en"))
        pango_context_set_base_dir(context, PANGO_DIRECTION_LTR)
        self.fontMap = fontMap
        self.context = context
        self.configuration = configuration
    }

    deinit {
        // Freeing the font map frees its fonts, and Cairo may close their FreeType faces.
        RenderingLock.enter()
        defer { RenderingLock.leave() }
        g_object_unref(UnsafeMutableRawPointer(self.context))
        g_object_unref(self.fontMap)
    }
}
