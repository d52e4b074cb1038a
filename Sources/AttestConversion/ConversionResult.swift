// Attest — certificates and documents you can verify. Apache-2.0.

/// What a successful conversion produced, for the caller to store and report.
public struct ConversionResult: Sendable, Equatable {
    /// The presentation format detected from the input's content.
    public var format: DeckFormat
    /// Pages in the PDF; equal to the deck's visible slides.
    public var pages: Int
    /// All slides of the deck, hidden ones included.
    public var slides: Int
    /// Bytes written to the output file.
    public var outputBytes: Int
    /// Wall time of the whole call: checks, waiting for a host, LibreOffice, output check.
    public var duration: Duration
    /// Time spent inside LibreOffice (load, PDF export, closing the document), as measured by the host.
    public var officeDuration: Duration
    /// Time spent on the pre-flight checks of the input.
    public var inspectionDuration: Duration
    /// Time spent waiting for a free host.
    public var queueDuration: Duration
    /// Resident memory of the host after this conversion, in bytes.
    public var hostResidentBytes: Int
    /// Process id of the host that converted it.
    public var hostProcessID: Int32
}

/// A PowerPoint format, told from the file's content, never its name.
public enum DeckFormat: String, Sendable, Equatable {
    /// PowerPoint 97–2003 binary (.ppt, .pps): an OLE compound file.
    case ppt
    /// PowerPoint 2007+ OOXML (.pptx, .ppsx): a zip package.
    case pptx

    /// The fixed file extension the input is stored under for LibreOffice.
    var fileExtension: String { self.rawValue }
}
