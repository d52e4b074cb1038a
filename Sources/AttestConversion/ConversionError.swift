// Attest — certificates and documents you can verify. Apache-2.0.

/// The one error `AttestConversion` throws: a stable code, an operator-facing message and the cause.
public struct ConversionError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, stable enough to switch on and to store with a failed job.
    public enum Code: String, Sendable, CaseIterable {
        /// The input file could not be read.
        case unreadableInput = "unreadable_input"
        /// The input is empty.
        case emptyInput = "empty_input"
        /// The input is larger than the configured size cap.
        case inputTooLarge = "input_too_large"
        /// The input is not a PowerPoint presentation (.ppt, .pps, .pptx, .ppsx) by its content.
        case unsupportedType = "unsupported_type"
        /// The input looks like a presentation but its structure is broken (truncated, corrupt).
        case damagedInput = "damaged_input"
        /// The archive exceeds the member count, uncompressed size or compression ratio limits.
        case zipBomb = "zip_bomb"
        /// The document is encrypted or password-protected.
        case passwordProtected = "password_protected"
        /// The deck has no slides, or none that are visible.
        case noSlides = "no_slides"
        /// LibreOffice could not open the document.
        case loadFailed = "load_failed"
        /// LibreOffice opened the document as something other than a presentation.
        case wrongDocumentType = "wrong_document_type"
        /// LibreOffice did not write a complete PDF.
        case invalidOutput = "invalid_output"
        /// The PDF has a different number of pages than the deck has visible slides.
        case pageCountMismatch = "page_count_mismatch"
        /// The conversion took longer than the timeout; its host was killed.
        case timedOut = "timed_out"
        /// The host used more memory than the hard cap during the conversion; it was killed.
        case memoryLimitExceeded = "memory_limit_exceeded"
        /// The host process died during the conversion.
        case hostCrashed = "host_crashed"
        /// A host could not be started (LibreOffice missing, start timeout, bad profile).
        case hostStartFailed = "host_start_failed"
        /// The host answered something that is not part of the protocol.
        case protocolViolation = "protocol_violation"
        /// Too many conversions are already waiting for a host.
        case overloaded = "overloaded"
        /// The pool is shutting down or was shut down.
        case shutDown = "shut_down"
        /// The conversion was cancelled by its caller.
        case cancelled = "cancelled"
        /// The output could not be written.
        case outputFailed = "output_failed"
        /// The configuration is out of range.
        case invalidConfiguration = "invalid_configuration"
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for operators; never contains file paths.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?
    /// Where the error was created.
    public var file: String
    /// Where the error was created.
    public var line: Int

    /// Creates an error; `file` and `line` default to the caller's position.
    public init(
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

    /// Whether trying the same input again could succeed (a host problem, not a property of the document).
    public var isTransient: Bool {
        switch self.code {
        case .hostCrashed, .hostStartFailed, .protocolViolation, .overloaded, .shutDown, .cancelled, .outputFailed:
            return true
        case .unreadableInput, .emptyInput, .inputTooLarge, .unsupportedType, .damagedInput, .zipBomb,
            .passwordProtected, .noSlides, .loadFailed, .wrongDocumentType, .invalidOutput, .pageCountMismatch,
            .timedOut, .memoryLimitExceeded, .invalidConfiguration:
            return false
        }
    }

    public var description: String {
        "\(self.message) [\(self.code.rawValue)]"
    }
}
