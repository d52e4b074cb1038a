// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Foundation

/// Helpers for pipeline tests: sample completions, the environment an `attest` process needs, and reading
/// the QR code of a rendered PDF with the real tools.
public enum PipelineTestSupport {
    /// Names in several scripts, so pipeline tests exercise shaping and font fallback too.
    public static let names = [
        "Ada Lovelace", "Zoë Ångström-Müller", "Иван Петров", "Ελένη Παπαδοπούλου", "فاطمة الزهراء", "נועה כהן",
        "प्रिया शर्मा", "王伟", "佐藤 結衣", "김민준",
    ]

    /// One completion as JSON text.
    public static func completion(_ index: Int, learner: String? = nil, template: String? = nil) -> String {
        var object: [String: Any] = [
            "external_id": "ext-\(index)",
            "learner_id": learner ?? "learner-\(index % 97)",
            "learner_name": self.names[index % self.names.count],
            "course_id": "course-\(index % 7)",
            "course_title": "Course number \(index % 7)",
            "organisation": "Attest Test Academy",
            "completed_at": "2026-05-\(String(format: "%02d", 1 + index % 28))T12:00:00Z",
        ]
        if let template { object["template"] = template }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A fresh storage directory for one test, removed by the caller.
    public static func temporaryDirectory(_ name: String) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("attest-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The environment for an `attest` process on `databaseURL` storing into `storage`, with the repository's
    /// templates and fonts.
    public static func environment(databaseURL: String, storage: URL) -> [String: String] {
        let root = IntegrationEnvironment.repositoryRoot
        return [
            "DATABASE_URL": databaseURL,
            "ATTEST_STORAGE_DIR": storage.path,
            "ATTEST_TEMPLATES_DIR": root.appendingPathComponent("templates").path,
            "ATTEST_FONTS_DIR": root.appendingPathComponent("fonts").path,
            "ATTEST_PUBLIC_URL": "https://verify.example.org",
            "ATTEST_LOG_LEVEL": "warning",
        ]
    }

    /// Decodes the QR code of a PDF's first page: `pdftoppm` at 72 dpi, then `zbarimg`.
    public static func decodeQR(pdf: URL) async throws -> String? {
        guard let pdftoppm = RunningProcess.which("pdftoppm"), let zbarimg = RunningProcess.which("zbarimg") else {
            throw TestSupportError("pdftoppm and zbarimg are needed: run scripts/bootstrap")
        }
        let prefix = pdf.deletingPathExtension().path + "-qr"
        defer { try? FileManager.default.removeItem(atPath: prefix + "-1.png") }
        let raster = try await RunningProcess.run(pdftoppm, arguments: ["-png", "-r", "72", "-f", "1", "-l", "1", pdf.path, prefix])
        guard raster.status == 0 else { throw TestSupportError("pdftoppm failed: \(raster.standardError)") }
        let scan = try await RunningProcess.run(zbarimg, arguments: ["-q", "--raw", prefix + "-1.png"])
        guard scan.status == 0 else { return nil }
        return scan.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every regular file under `directory`, relative to it.
    public static func files(under directory: URL) -> Set<String> {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files = Set<String>()
        let base = directory.standardizedFileURL.path + "/"
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.insert(String(url.standardizedFileURL.path.dropFirst(base.count)))
        }
        return files
    }
}
