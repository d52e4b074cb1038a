// Attest — certificates and documents you can verify. Apache-2.0.

import Crypto
import Foundation
import Mustache

/// Renders the HTML pages from the mustache templates shipped as resources; every `{{value}}` is HTML-escaped,
/// and the only unescaped value is the stylesheet, which is ours.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    /// The stylesheet, inlined in every page and allowed by its hash in the Content-Security-Policy.
    let css: String
    /// `'sha256-…'` of the inline stylesheet, for `style-src`.
    let styleSource: String
    /// Shown in the footer.
    let host: String

    init(host: String) throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw ServerError(.internalError, "the page templates are missing from the build (Templates resource)")
        }
        HTMLEscaping.register()
        var library = MustacheLibrary()
        for name in ["head", "foot", "certificate", "problem", "check"] {
            let text = try String(contentsOf: directory.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            try library.register(text, named: name)
        }
        self.library = library
        let css = try String(contentsOf: directory.appendingPathComponent("page.css"), encoding: .utf8)
        self.css = css
        self.styleSource = "'sha256-" + Data(SHA256.hash(data: Array(css.utf8))).base64EncodedString() + "'"
        self.host = host
    }

    /// The verification page of a certificate.
    func certificatePage(_ view: CertificatePage) -> String {
        self.render(view, template: "certificate")
    }

    /// The answer to a PDF checked from the page's form.
    func checkPage(_ view: CheckPage) -> String {
        self.render(view, template: "check")
    }

    /// The page for a failure: unknown code, removed document, server trouble.
    func problemPage(_ view: ProblemPage) -> String {
        self.render(view, template: "problem")
    }

    private func render(_ view: some PageContent, template: String) -> String {
        let context = PageContext(title: view.title, css: self.css, host: self.host, page: view)
        return self.library.render(context, withTemplate: template) ?? ""
    }
}

/// A page's own values, looked up by name without reflection (the page is rendered on every request).
protocol PageContent: MustacheParent, Sendable {
    var title: String { get }
}

/// The values `head` and `foot` need, then the page's own.
private struct PageContext: MustacheParent {
    let title: String
    let css: String
    let host: String
    let page: any PageContent

    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "css": self.css
        case "host": self.host
        default: self.page.child(named: name)
        }
    }
}
