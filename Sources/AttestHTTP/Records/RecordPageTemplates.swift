// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation
import Mustache

/// The record page and the record problem page, rendered from the mustache templates shipped as resources
/// (the same `head` and `foot` as the verification pages, so the same stylesheet and Content-Security-Policy
/// apply); every `{{value}}` is HTML-escaped.
struct RecordPageTemplates: Sendable {
    private let library: MustacheLibrary
    private let css: String
    private let host: String

    /// The templates are part of the build, so they are read once per process; a build without them fails each
    /// record page with a 500 and the reason in the log.
    private static let loaded = Result { () throws -> MustacheLibrary in
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw ServerError(.internalError, "the page templates are missing from the build (Templates resource)")
        }
        var library = MustacheLibrary()
        for name in ["head", "foot", "record", "problem"] {
            let text = try String(contentsOf: directory.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            try library.register(text, named: name)
        }
        return library
    }

    /// Templates with the stylesheet and host of the server's pages.
    init(pages: PageRenderer) throws {
        self.library = try Self.loaded.get()
        self.css = pages.css
        self.host = pages.host
    }

    func recordPage(_ view: RecordPage) -> String {
        self.render(view, template: "record")
    }

    func problemPage(_ view: RecordProblemPage) -> String {
        self.render(view, template: "problem")
    }

    private func render(_ view: some PageContent, template: String) -> String {
        self.library.render(RecordPageContext(css: self.css, host: self.host, page: view), withTemplate: template) ?? ""
    }
}

/// The values `head` and `foot` need, then the page's own.
private struct RecordPageContext: MustacheParent {
    let css: String
    let host: String
    let page: any PageContent

    func child(named name: String) -> Any? {
        switch name {
        case "title": self.page.title
        case "css": self.css
        case "host": self.host
        default: self.page.child(named: name)
        }
    }
}
