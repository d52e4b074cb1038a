// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestFiles
import AttestHTTP
import AttestPQ
import AttestTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Synchronization

/// A migrated test database, a storage directory and the server on them, with helpers to create
/// certificates in each state the routes distinguish.
struct HTTPFixture: Sendable {
    static let token = "test-token-0123456789abcdef"
    static let publicBaseURL = "https://verify.example.org"

    let database: TestDatabase
    let pool: PGPool
    let store: LocalDocumentStore
    let server: AttestServer
    /// How many times the server has counted the jobs table (for the jobs gauge).
    let jobCountReads: ReadCounter

    /// Runs `body` with a fresh database, storage and server; removes them afterwards.
    static func with(
        apiToken: String? = HTTPFixture.token,
        maximumConcurrentLookups: Int = 2,
        idleTimeout: Duration? = nil,
        logger: Logger = Logger(label: "test"),
        _ body: @Sendable (HTTPFixture) async throws -> Void
    ) async throws {
        let storage = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "attest-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: storage) }
        try await TestDatabase.withPool { database, pool in
            let store = try LocalDocumentStore(root: storage.path)
            var configuration = AttestServer.Configuration(
                host: "127.0.0.1",
                port: 0,
                publicBaseURL: Self.publicBaseURL,
                apiToken: apiToken
            )
            configuration.maximumConcurrentLookups = maximumConcurrentLookups
            if let idleTimeout { configuration.idleTimeout = idleTimeout }
            let jobCountReads = ReadCounter()
            let server = try AttestServer(
                configuration: configuration,
                pool: pool,
                store: store,
                registry: PrometheusCollectorRegistry(),
                jobCounts: {
                    jobCountReads.increment()
                    return try await pool.query(
                        "SELECT kind, state::text AS state, count(*)::bigint AS n FROM attest.jobs GROUP BY 1, 2"
                    )
                    .map {
                        AttestServer.JobCount(
                            kind: try $0.decode("kind"), state: try $0.decode("state"), count: try $0.decode("n"))
                    }
                },
                logger: logger
            )
            try await body(
                HTTPFixture(database: database, pool: pool, store: store, server: server, jobCountReads: jobCountReads)
            )
        }
    }

    /// Drives the router in process.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await self.server.application().test(.router, body)
    }

    // MARK: - Certificates

    /// An issued certificate with a stored PDF; returns its row and the PDF's bytes.
    @discardableResult
    func issue(
        learnerName: String = "Ada Lovelace",
        courseTitle: String = "Analytical Engines",
        organisation: String = "Attest Test Academy",
        externalID: String = "ext-\(UUID().uuidString)"
    ) async throws -> (record: CertificateRecord, pdf: [UInt8]) {
        let record = try await self.reserve(
            learnerName: learnerName,
            courseTitle: courseTitle,
            organisation: organisation,
            externalID: externalID
        )
        let pdf = Array("%PDF-1.7\n% certificate of \(learnerName)\n%%EOF\n".utf8)
        let stored = try await self.store.write(pdf, to: record.documentPath ?? "missing.pdf")
        let issued = try await self.pool.withConnection { connection in
            _ = try await CertificateRepository().markIssued(
                id: record.id, sha256: stored.sha256, bytes: stored.byteCount, on: connection)
            return try await CertificateRepository().find(completionID: record.completionID, on: connection)
        }
        return (try Self.require(issued), pdf)
    }

    /// A certificate reserved but not rendered yet: `pending`.
    func reserve(
        learnerName: String = "Pending Person",
        courseTitle: String = "Analytical Engines",
        organisation: String = "Attest Test Academy",
        externalID: String = "ext-\(UUID().uuidString)"
    ) async throws -> CertificateRecord {
        let document: [String: Any] = [
            "external_id": externalID, "learner_id": "learner-1", "learner_name": learnerName, "course_id": "course-1",
            "course_title": courseTitle, "organisation": organisation, "completed_at": "2026-05-04T12:00:00Z",
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        return try await self.pool.withConnection { connection in
            let submission = try await CompletionRepository().submit([json], on: connection)[0]
            let id = UUID()
            return try await CertificateRepository().reserve(
                .init(
                    id: id, completionID: submission.completionID, verificationCode: VerificationCode.random().text,
                    learnerID: "learner-1", learnerName: learnerName, courseTitle: courseTitle,
                    organisation: organisation,
                    issuedOn: "2026-05-04", locale: "en", score: nil, programTitle: nil, templateID: "classic",
                    templateVersion: 1, documentPath: "certificates/\(id).pdf"
                ),
                on: connection
            )
        }
    }

    func revoke(_ code: String, reason: String) async throws {
        _ = try await self.pool.withConnection { connection in
            try await CertificateRepository().revoke(code: code, reason: reason, on: connection)
        }
    }

    /// What `attest purge-pdfs` leaves: the file deleted, the row's link cleared and the time recorded.
    func purge(_ record: CertificateRecord) async throws {
        _ = try await self.store.delete(record.documentPath ?? "")
        try await self.pool.query(
            "UPDATE attest.certificates SET document_path = NULL, document_purged_at = now() WHERE id = $1",
            [record.id]
        )
    }

    func completionCount() async throws -> Int {
        try await self.pool.query("SELECT count(*)::bigint AS n FROM attest.completions")[0].decode("n")
    }

    private static func require<T>(_ value: T?) throws -> T {
        guard let value else { throw TestSupportError("the certificate vanished after it was issued") }
        return value
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    var text: String { String(buffer: self.body) }

    /// The body parsed as a JSON object.
    var object: [String: Any] {
        get throws {
            let data = Data(self.text.utf8)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TestSupportError("the body is not a JSON object: \(self.text)")
            }
            return object
        }
    }
}

/// A thread-safe count, for tests that check how often the server did something.
final class ReadCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() { self.count.add(1, ordering: .relaxed) }
    var value: Int { self.count.load(ordering: .relaxed) }
}
