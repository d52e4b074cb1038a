// Attest — certificates and documents you can verify. Apache-2.0.

internal import CLibreOfficeKit

/// Owns the process's one LibreOfficeKit instance (`lok_init_2`); destroys it with `pClass->destroy`.
final class LibreOfficeKitOffice {
    private let office: UnsafeMutablePointer<LibreOfficeKit>

    /// Loads the LibreOffice installed at `installPath` in-process, with the profile at `profileURL` (a file: URL).
    init(installPath: String, profileURL: String) throws {
        guard let office = lok_init_2(installPath, profileURL) else {
            throw ConversionError(.hostStartFailed, "LibreOfficeKit could not load LibreOffice from its install path")
        }
        self.office = office
    }

    deinit {
        self.office.pointee.pClass.pointee.destroy(self.office)
    }

    /// Loads a document silently (no dialogs, macros never run); nil with LibreOffice's message when it fails.
    func load(url: String) -> Result<LibreOfficeKitDocument, ConversionError> {
        let load = self.office.pointee.pClass.pointee.documentLoadWithOptions!
        // "Batch" turns every dialog into a silent cancel; without "EnableMacrosExecution=true" LOK passes
        // MacroExecMode NEVER_EXECUTE to the loader.
        if let document = load(self.office, url, "Language=en-US,Batch=true") {
            return .success(LibreOfficeKitDocument(document))
        }
        return .failure(ConversionError(.loadFailed, "LibreOffice could not open the document: \(self.lastError())"))
    }

    /// LibreOffice's last error message, or a placeholder when it gave none.
    func lastError() -> String {
        guard let getError = self.office.pointee.pClass.pointee.getError, let message = getError(self.office) else {
            return "no reason given"
        }
        defer { self.office.pointee.pClass.pointee.freeError?(message) }
        let text = String(cString: message)
        return text.isEmpty ? "no reason given" : text
    }
}

/// Owns one loaded document; destroys it with `pClass->destroy`.
final class LibreOfficeKitDocument {
    /// What LibreOffice took the document for: `LibreOfficeKitDocumentType` (LOK_DOCTYPE_TEXT = 0, …).
    enum Kind: Int32 {
        case text = 0
        case spreadsheet = 1
        case presentation = 2
        case drawing = 3
        case other = 4
    }

    private let document: UnsafeMutablePointer<CLibreOfficeKit.LibreOfficeKitDocument>

    fileprivate init(_ document: UnsafeMutablePointer<CLibreOfficeKit.LibreOfficeKitDocument>) {
        self.document = document
    }

    deinit {
        self.document.pointee.pClass.pointee.destroy(self.document)
    }

    var kind: Kind {
        Kind(rawValue: self.document.pointee.pClass.pointee.getDocumentType(self.document)) ?? .other
    }

    /// Slides (parts) LibreOffice loaded.
    var parts: Int {
        Int(self.document.pointee.pClass.pointee.getParts(self.document))
    }

    /// Saves as `format` to `url`; false when LibreOffice reports failure.
    func save(url: String, format: String, filterOptions: String) -> Bool {
        self.document.pointee.pClass.pointee.saveAs(self.document, url, format, filterOptions) != 0
    }
}
