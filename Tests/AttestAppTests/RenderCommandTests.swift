// Attest — certificates and documents you can verify. Apache-2.0.

import ArgumentParser
import Foundation
import Testing

@testable import AttestApp

@Suite("attest render")
struct RenderCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A directory of its own for one test, removed afterwards.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attest-app-tests-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: self.url) }
        func path(_ name: String) -> String { self.url.appendingPathComponent(name).path }
    }

    static func run(_ data: String, in scratch: Scratch, extra: [String] = []) throws {
        let file = scratch.path("completion.json")
        try Data(data.utf8).write(to: URL(fileURLWithPath: file))
        let parsed = try AttestCommand.parseAsRoot(
            [
                "render", "--data", file, "--out", scratch.path("out.pdf"),
                "--templates-dir", Self.root.appendingPathComponent("templates").path,
                "--fonts-dir", Self.root.appendingPathComponent("fonts").path,
            ] + extra
        )
        let command = try #require(parsed as? RenderCommand)
        // Not command.run(): that would start the process-wide logging system, which tests never do.
        try command.run(settings: AttestSettings(environment: [:]))
    }

    @Test func missingFieldsExitOneAndNameEachField() throws {
        let scratch = try Scratch()
        do {
            try Self.run(
                #"{"external_id": "x", "learner_id": "l", "course_id": "c", "course_title": "T", "completed_at": "2026-03-01T09:30:00Z"}"#,
                in: scratch
            )
            Issue.record("rendered a completion without a name")
        } catch {
            #expect(AttestCommand.exitCode(for: error) == ExitCode(1))
            let message = AttestCommand.message(for: error)
            #expect(message.contains("learner_name: is required"), "\(message)")
            #expect(message.contains("organisation: is required"), "\(message)")
            #expect(!message.contains("course_title"), "\(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.pdf")))
    }

    @Test func aValidCompletionRendersAPDFAndAPreview() throws {
        let scratch = try Scratch()
        try Self.run(
            #"{"external_id": "x", "learner_id": "l", "learner_name": "Ada Lovelace", "course_id": "c", "course_title": "Analytical Engines", "organisation": "Babbage College", "completed_at": "2026-03-01T09:30:00Z", "template": "modern"}"#,
            in: scratch,
            extra: ["--code", "abc234", "--png", scratch.path("out.png"), "--png-dpi", "20"]
        )
        let pdf = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.pdf")))
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        #expect(String(decoding: pdf, as: UTF8.self).contains("/v/abc234"))
        #expect(FileManager.default.fileExists(atPath: scratch.path("out.png")))
    }

    static let adaCompletion =
        #"{"external_id": "x", "learner_id": "l", "learner_name": "Ada Lovelace", "course_id": "c", "course_title": "Analytical Engines", "organisation": "Babbage College", "completed_at": "2026-03-01T09:30:00Z"}"#

    @Test("--url …/v/CODE prints that code, so the same input renders the same bytes twice")
    func urlCodeIsTheCodePrinted() throws {
        let scratch = try Scratch()
        let url = "https://verify.example.org/v/k7m2q9xr4tcw8h3p6yb5nd2jfa"
        try Self.run(Self.adaCompletion, in: scratch, extra: ["--url", url])
        let first = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.pdf")))
        try Self.run(Self.adaCompletion, in: scratch, extra: ["--url", url])
        let second = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.pdf")))
        #expect(first == second)
        // The same code given as --code renders the same bytes too: the URL's code is the code printed.
        try Self.run(Self.adaCompletion, in: scratch, extra: ["--url", url, "--code", "k7m2q9xr4tcw8h3p6yb5nd2jfa"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.pdf"))) == first)
    }

    @Test("--code that differs from the code in --url is a usage error naming both")
    func differingCodeIsRefused() throws {
        let scratch = try Scratch()
        do {
            try Self.run(
                Self.adaCompletion,
                in: scratch,
                extra: ["--url", "https://verify.example.org/v/k7m2q9xr4tcw8h3p6yb5nd2jfa", "--code", "abc234"]
            )
            Issue.record("rendered with a --code that differs from the URL's")
        } catch {
            #expect(AttestCommand.exitCode(for: error) == ExitCode.validationFailure)
            let message = AttestCommand.message(for: error)
            #expect(message.contains("abc234") && message.contains("k7m2q9xr4tcw8h3p6yb5nd2jfa"), "\(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.pdf")))
    }

    @Test(
        "the code of a verification URL",
        arguments: [
            ("https://verify.example.org/v/abc234", "abc234"),
            ("https://verify.example.org/base/v/abc234?utm=x#top", "abc234"),
            ("https://verify.example.org/v/", nil),
            ("https://verify.example.org/check/abc234", nil),
            ("not a url at all", nil),
        ] as [(String, String?)]
    )
    func verificationCodeInURL(url: String, code: String?) {
        #expect(RenderCommand.verificationCode(in: url) == code)
    }

    @Test func anUnknownTemplateExitsOneAndListsTheTemplates() throws {
        let scratch = try Scratch()
        do {
            try Self.run(
                #"{"external_id": "x", "learner_id": "l", "learner_name": "Ada", "course_id": "c", "course_title": "T", "organisation": "O", "completed_at": "2026-03-01T09:30:00Z"}"#,
                in: scratch,
                extra: ["--template", "fancy"]
            )
            Issue.record("rendered with an unknown template")
        } catch {
            #expect(AttestCommand.exitCode(for: error) == ExitCode(1))
            #expect(AttestCommand.message(for: error).contains("no template \"fancy\""))
        }
    }
}
