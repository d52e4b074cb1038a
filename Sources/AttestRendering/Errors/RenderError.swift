// Attest — certificates and documents you can verify. Apache-2.0.

/// The one error AttestRendering throws, with a message an operator can act on.
package struct RenderError: Error, CustomStringConvertible {
    /// What went wrong, as a stable string for logs and job errors.
    package enum Code: String, Sendable {
        /// No template folder or `template.yaml` for the id.
        case templateNotFound = "template_not_found"
        /// The template file breaks a rule; the message names the file, the block and the problem.
        case invalidTemplate = "invalid_template"
        /// The fontconfig file is missing or fontconfig rejected it.
        case fontsUnavailable = "fonts_unavailable"
        /// A printed value is empty, too long, or holds characters that cannot be printed.
        case invalidContent = "invalid_content"
        /// libqrencode could not encode the URL (too long for a QR code, or out of memory).
        case qrEncodingFailed = "qr_encoding_failed"
        /// Cairo reported an error; the message carries the `cairo_status_t` name.
        case cairo = "cairo"
        /// Pango could not lay out text.
        case pango = "pango"
    }

    /// What went wrong.
    package var code: Code
    /// For operators.
    package var message: String
    /// The error that caused this one, if any.
    package var underlying: (any Error)?
    /// Where the error was created.
    package var file: String
    /// Where the error was created.
    package var line: Int

    package init(
        _ code: Code,
        _ message: String,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    package var description: String { self.message }
}
