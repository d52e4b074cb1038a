// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestFiles
import AttestHTTP
import AttestPQ
import AttestTestSupport
import Foundation
import HummingbirdTesting
import Logging
import Prometheus

/// A migrated database with a program catalog and issued, revoked and repeated certificates for the record
/// routes, and the server on it with records switched on or off.
struct RecordsHTTPFixture: Sendable {
    static let token = HTTPFixture.token
    static let publicBaseURL = HTTPFixture.publicBaseURL
    /// A learner name that must come out escaped.
    static let learnerName = "<script>alert(1)</script> Zoë & فاطمة"

    let pool: PGPool
    let server: AttestServer
    /// Verification codes by completion external id.
    let codes: [String: String]

    /// Runs `body` with a fresh database holding the catalog and the learner's certificates.
    static func with(
        recordsEnabled: Bool = true,
        apiToken: String? = RecordsHTTPFixture.token,
        _ body: @Sendable (RecordsHTTPFixture) async throws -> Void
    ) async throws {
        let storage = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "attest-records-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: storage) }
        try await TestDatabase.withPool { _, pool in
            var configuration = AttestServer.Configuration(
                host: "127.0.0.1",
                port: 0,
                publicBaseURL: Self.publicBaseURL,
                apiToken: apiToken
            )
            configuration.records = RecordsSettings(enabled: recordsEnabled)
            let server = try AttestServer(
                configuration: configuration,
                pool: pool,
                store: try LocalDocumentStore(root: storage.path),
                registry: PrometheusCollectorRegistry(),
                logger: Logger(label: "test")
            )
            let codes = try await Self.populate(pool)
            try await body(RecordsHTTPFixture(pool: pool, server: server, codes: codes))
        }
    }

    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await self.server.application().test(.router, body)
    }

    /// The catalog (one program of four courses), and certificates: c-1 at 90 %, c-2 twice (60 %, then 85 %),
    /// c-3 revoked, c-4 none.
    private static func populate(_ pool: PGPool) async throws -> [String: String] {
        let catalog = try ProgramCatalog(
            json: Array(
                """
                {"programs": [{"id": "web", "title": "Web & <Security>", "organisation": "Attest Test Academy",
                  "courses": [{"course_id": "c-1", "title": "HTTP"}, {"course_id": "c-2", "title": "TLS"},
                              {"course_id": "c-3", "title": "Cookies"}, {"course_id": "c-4", "title": "CSP"}]}]}
                """.utf8
            )
        )
        let completions: [(id: String, course: String, score: Double)] = [
            ("w-1", "c-1", 0.9), ("w-2a", "c-2", 0.6), ("w-2b", "c-2", 0.85), ("w-3", "c-3", 0.7),
        ]
        return try await pool.withConnection { connection in
            _ = try await ProgramRepository().importCatalog(catalog, on: connection)
            var codes: [String: String] = [:]
            for (index, completion) in completions.enumerated() {
                let document: [String: Any] = [
                    "external_id": completion.id, "learner_id": "learner-web", "learner_name": Self.learnerName,
                    "course_id": completion.course, "course_title": completion.course,
                    "organisation": "Attest Test Academy", "completed_at": "2026-05-0\(index + 1)T12:00:00Z",
                    "score": completion.score,
                ]
                let json = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
                let submission = try await CompletionRepository().submit([json], on: connection)[0]
                let id = UUID()
                let certificate = try await CertificateRepository().reserve(
                    .init(
                        id: id,
                        completionID: submission.completionID,
                        verificationCode: VerificationCode.random().text,
                        learnerID: "learner-web",
                        learnerName: Self.learnerName,
                        courseTitle: completion.course,
                        organisation: "Attest Test Academy",
                        issuedOn: "2026-05-0\(index + 1)",
                        locale: "en",
                        score: completion.score,
                        programTitle: nil,
                        templateID: "classic",
                        templateVersion: 1,
                        documentPath: "certificates/\(id).pdf"
                    ),
                    on: connection
                )
                try await CertificateRepository().markIssued(id: id, sha256: "00", bytes: 1, on: connection)
                codes[completion.id] = certificate.verificationCode
            }
            _ = try await CertificateRepository().revoke(code: codes["w-3"]!, reason: "test", on: connection)
            return codes
        }
    }
}
