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
