// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo

extension RenderError {
    /// Converts a Cairo status at the wrapper boundary; nil when it is `CAIRO_STATUS_SUCCESS`.
    static func cairo(
        _ status: cairo_status_t,
        _ action: String,
        file: String = #fileID,
        line: Int = #line
    ) -> RenderError? {
        guard status != CAIRO_STATUS_SUCCESS else { return nil }
        let name = Self.cairoStatusName(status)
        let detail = String(cString: cairo_status_to_string(status))
        return RenderError(.cairo, "\(action) failed: \(name) (\(detail))", file: file, line: line)
    }

    private static func cairoStatusName(_ status: cairo_status_t) -> String {
        switch status {
        case CAIRO_STATUS_NO_MEMORY: "CAIRO_STATUS_NO_MEMORY"
        case CAIRO_STATUS_INVALID_RESTORE: "CAIRO_STATUS_INVALID_RESTORE"
        case CAIRO_STATUS_INVALID_MATRIX: "CAIRO_STATUS_INVALID_MATRIX"
        case CAIRO_STATUS_INVALID_STRING: "CAIRO_STATUS_INVALID_STRING"
        case CAIRO_STATUS_WRITE_ERROR: "CAIRO_STATUS_WRITE_ERROR"
        case CAIRO_STATUS_READ_ERROR: "CAIRO_STATUS_READ_ERROR"
        case CAIRO_STATUS_SURFACE_FINISHED: "CAIRO_STATUS_SURFACE_FINISHED"
        case CAIRO_STATUS_INVALID_SIZE: "CAIRO_STATUS_INVALID_SIZE"
        case CAIRO_STATUS_FILE_NOT_FOUND: "CAIRO_STATUS_FILE_NOT_FOUND"
        case CAIRO_STATUS_INVALID_FORMAT: "CAIRO_STATUS_INVALID_FORMAT"
        case CAIRO_STATUS_TAG_ERROR: "CAIRO_STATUS_TAG_ERROR"
        case CAIRO_STATUS_FREETYPE_ERROR: "CAIRO_STATUS_FREETYPE_ERROR"
        case CAIRO_STATUS_PNG_ERROR: "CAIRO_STATUS_PNG_ERROR"
        default: "cairo_status_t(\(status.rawValue))"
        }
    }
}
