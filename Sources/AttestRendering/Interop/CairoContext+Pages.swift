// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo

extension CairoContext {
    /// Ends the current page of a PDF and starts a new one of the same size (documents of several pages).
    func showPage() {
        cairo_show_page(self.pointer)
    }
}
