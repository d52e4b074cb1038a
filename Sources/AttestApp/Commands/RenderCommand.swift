// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import AttestCore
import AttestRendering
import Foundation
import Logging

/// `attest render`: one certificate from a completion JSON file, with no database; for one-offs and template design.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one certificate PDF from a completion JSON file (no database).",
        discussion: """
            The data file holds one completion (CONTRACT.md): external_id, learner_id, learner_name, course_id, \
            course_title, organisation, completed_at, and optionally score, template, locale, program_title. \
            The certificate is issued on the completed_at date. Without --url the QR code points to \
            ATTEST_PUBLIC_URL/v/<code>, with a new random code unless --code is given (give --code for \
            byte-identical output across runs). A --url ending in /v/<code> prints that code on the certificate; \
            a --code that differs from it is refused. Invalid data exits 1 and names each field.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(
        help: ArgumentHelp(
            "Template id (a folder of the templates directory). Defaults to the data's template, then ATTEST_DEFAULT_TEMPLATE.",
            valueName: "id"
        )
    )
    var template: String?

    @Option(help: ArgumentHelp("Completion JSON file, or - for standard input.", valueName: "file"))
    var data: String

    @Option(help: ArgumentHelp("Where to write the PDF.", valueName: "file"))
    var out: String

    @Option(
        help: ArgumentHelp(
            "Verification URL for the QR code and link. Defaults to ATTEST_PUBLIC_URL/v/<code>.",
            valueName: "url"
        )
    )
    var url: String?

    @Option(help: ArgumentHelp("Verification code to print. Defaults to a new random code.", valueName: "code"))
    var code: String?

    @Option(help: ArgumentHelp("Also write a PNG preview here.", valueName: "file"))
    var png: String?

    @Option(help: ArgumentHelp("Resolution of the PNG preview in dots per inch.", valueName: "dpi"))
    var pngDPI: Double = 100

    @Option(help: ArgumentHelp("Templates directory. Overrides ATTEST_TEMPLATES_DIR.", valueName: "dir"))
    var templatesDir: String?

    @Option(help: ArgumentHelp("Fonts directory (with fonts.conf). Overrides ATTEST_FONTS_DIR.", valueName: "dir"))
    var fontsDir: String?

    func validate() throws {
        guard (10...1200).contains(self.pngDPI) else { throw ValidationError("--png-dpi must be from 10 to 1200") }
        if let code = self.code, code.isEmpty || code.contains(where: { $0.isWhitespace || $0 == "/" }) {
            throw ValidationError("--code must be non-empty, without spaces or slashes")
        }
        if let code = self.code, let url = self.url, let inURL = Self.verificationCode(in: url), inURL != code {
            throw ValidationError("--code \(code) differs from the code \(inURL) in --url; give one of them, or the same")
        }
    }

    /// The code of a verification URL (`…/v/CODE`, without query or fragment), or nil for any other URL.
    static func verificationCode(in url: String) -> String? {
        guard let components = URLComponents(string: url) else { return nil }
        let parts = components.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[parts.count - 2] == "v", let last = parts.last, !last.isEmpty else { return nil }
        return String(last)
    }

    func run() throws {
        try self.run(settings: self.common.settings())
    }

    /// The command's work with resolved settings (tests call this, so that they never start the logging system).
    func run(settings: AttestSettings) throws {
        let input: Data?
        if self.data == "-" {
            input = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            input = FileManager.default.contents(atPath: self.data)
        }
        guard let input else { throw Failure("cannot read \(self.data)") }
        let completion: Completion
        do {
            completion = try Completion(json: input)
        } catch let error as CoreError {
            let lines = error.problems.map { "  \($0.field): \($0.message)" }
            throw Failure(([("\(self.data) is not a valid completion:")] + lines).joined(separator: "\n"))
        }

        let templateID = self.template ?? completion.template ?? settings.defaultTemplate
        let code = self.code ?? self.url.flatMap(Self.verificationCode(in:)) ?? RandomCode.make()
        let base = settings.publicURL.hasSuffix("/") ? String(settings.publicURL.dropLast()) : settings.publicURL
        let url = self.url ?? "\(base)/v/\(code)"
        do {
            let template = try TemplateLoader(directory: self.templatesDir ?? settings.templatesDirectory).load(
                id: templateID
            )
            let fonts = try FontSet(directory: self.fontsDir ?? settings.fontsDirectory)
            let renderer = try CertificateRenderer(template: template, fonts: fonts)
            let content = CertificateContent(completion: completion, verificationCode: code, verificationURL: url)
            let output = try renderer.render(content, options: .init(previewDPI: self.png == nil ? nil : self.pngDPI))
            try Self.write(output.pdf, to: self.out)
            if let png = self.png, let bytes = output.png {
                try Self.write(bytes, to: png)
            }
            let logger = Logger(label: "attest.render")
            for placed in output.placedTexts where placed.exceededLimits {
                logger.warning(
                    "Text needed more lines or a smaller size than its block allows; give the block a larger box",
                    metadata: [
                        "template.id": "\(template.id)",
                        "template.block": "\(placed.blockID)",
                        "text.lines": "\(placed.lineCount)",
                        "text.size": "\(placed.size)",
                    ]
                )
            }
            print(
                "wrote \(self.out) (\(output.pdf.count) bytes), template \(template.id) v\(template.version), code \(code), url \(url)"
            )
        } catch let error as RenderError {
            throw Failure(error.message)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedDescription
            throw Failure("cannot write \(path): \(reason)")
        }
    }

    /// The work failed: ArgumentParser prints the message and exits 1 (not 64, which is for usage errors).
    struct Failure: Error, CustomStringConvertible {
        var description: String

        init(_ description: String) {
            self.description = description
        }
    }
}

/// A random verification code for one-off renders: 26 characters of an alphabet without lookalikes (130 bits).
enum RandomCode {
    static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<26).map { _ in self.alphabet[Int.random(in: 0..<self.alphabet.count, using: &generator)] })
    }
}
