// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Crypto
import Foundation
import Testing

/// A test database and storage directory with certificates made straight through the repositories (hundreds a
/// second, the same ids and codes in every database), and snapshots of both to compare before and after.
struct PurgeFixture: Sendable {
    let database: TestDatabase
    let pool: PGPool
    /// A temporary directory of the test's own: the storage root and what lies outside it.
    let directory: URL

    /// The storage root, `files` in the test's directory.
    var storage: URL { self.directory.appendingPathComponent("files") }
    /// A directory next to the storage root, outside it.
    var outside: URL { self.directory.appendingPathComponent("outside") }

    /// A fresh migrated database and directory for `body`; both are removed afterwards.
    static func with(_ name: String, _ body: (PurgeFixture) async throws -> Void) async throws {
        let directory = try PipelineTestSupport.temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.withPool { database, pool in
            let fixture = PurgeFixture(database: database, pool: pool, directory: directory)
            try FileManager.default.createDirectory(at: fixture.storage, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: fixture.outside, withIntermediateDirectories: true)
            try await body(fixture)
        }
    }

    /// What an `attest` process needs to work on this database and storage.
    var environment: [String: String] {
        PipelineTestSupport.environment(databaseURL: self.database.url, storage: self.storage)
    }

    /// Runs the real `attest` binary.
    func attest(
        _ arguments: [String],
        whileRunning: @escaping @Sendable (Int32) async throws -> Void = { _ in }
    ) async throws -> RunningProcess {
        try await RunningProcess.run(
            try IntegrationEnvironment.attestExecutable,
            arguments: arguments,
            environment: self.environment,
            whileRunning: whileRunning
        )
    }

    // MARK: - Certificates

    /// The id of certificate number `index`, the same in every database.
    static func certificateID(_ index: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index))!
    }

    /// The verification code of certificate number `index`: well-formed, the same in every database.
    static func code(_ index: Int) -> String {
        "P" + String(format: "%025d", index)
    }

    /// Issues certificate number `index` to `learner`, with a small file of its own in storage; optionally
    /// revokes it, or leaves it pending (reserved and its file written, but not marked issued).
    @discardableResult
    func issue(
        _ index: Int,
        learner: String,
        revoked: Bool = false,
        pending: Bool = false
    ) async throws -> CertificateRecord {
        let id = Self.certificateID(index)
        let name = id.uuidString.lowercased()
        let path = "certificates/\(name.prefix(2))/\(name).pdf"
        let bytes = Array("%PDF-1.4\n% certificate \(index) of learner \(learner)\n%%EOF\n".utf8)
        let file = self.storage.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return try await self.pool.withConnection { connection in
            let completion = try await CompletionRepository().submit(
                [PipelineTestSupport.completion(index, learner: learner)],
                on: connection
            )[0]
            let repository = CertificateRepository()
            _ = try await repository.reserve(
                CertificateRepository.Reservation(
                    id: id, completionID: completion.completionID, verificationCode: Self.code(index),
                    learnerID: learner, learnerName: "Learner \(index)", courseTitle: "Course \(index % 7)",
                    organisation: "Attest Test Academy", issuedOn: "2026-05-04", locale: "en", score: nil,
                    programTitle: nil, templateID: "classic", templateVersion: 1, documentPath: path
                ),
                on: connection
            )
            if !pending {
                try await repository.markIssued(id: id, sha256: sha256, bytes: bytes.count, on: connection)
            }
            if revoked {
                _ = try await repository.revoke(code: Self.code(index), reason: "issued in error", on: connection)
            }
            return try #require(try await repository.find(code: Self.code(index), on: connection))
        }
    }

    /// Points a certificate's row at another path, as someone with database access could.
    func tamper(_ index: Int, path: String) async throws {
        let rows = try await self.pool.query(
            "UPDATE attest.certificates SET document_path = $2 WHERE id = $1",
            [Self.certificateID(index), path]
        )
        #expect(rows.affectedRows == 1)
    }

    func certificate(_ index: Int) async throws -> CertificateRecord {
        try await self.pool.withConnection { connection in
            try #require(try await CertificateRepository().find(code: Self.code(index), on: connection))
        }
    }

    func file(of index: Int) throws -> URL {
        let name = Self.certificateID(index).uuidString.lowercased()
        return self.storage.appendingPathComponent("certificates/\(name.prefix(2))/\(name).pdf")
    }

    // MARK: - Snapshots

    /// Every row of attest.certificates, every column, as JSON lines ordered by id.
    func certificatesTable() async throws -> String {
        try await self.pool.query(
            """
            SELECT coalesce(string_agg(to_jsonb(c)::text, E'\\n' ORDER BY c.id), '') AS dump
            FROM attest.certificates c
            """
        ).first?.decode("dump") ?? ""
    }

    /// The certificates without what differs between two databases given the same certificates (completion ids
    /// and timestamps), with `document_purged_at` reduced to whether it is set.
    func comparableCertificates() async throws -> String {
        try await self.pool.query(
            """
            SELECT coalesce(string_agg(
                (to_jsonb(c) - 'completion_id' - 'created_at' - 'issued_at' - 'revoked_at' - 'document_purged_at'
                    || jsonb_build_object('purged', c.document_purged_at IS NOT NULL))::text,
                E'\\n' ORDER BY c.id), '') AS dump
            FROM attest.certificates c
            """
        ).first?.decode("dump") ?? ""
    }

    /// Every directory and file under `directory` (relative paths), files with the SHA-256 of their bytes and
    /// symbolic links with their target.
    static func tree(_ directory: URL) throws -> [String: String] {
        var tree: [String: String] = [:]
        let files = FileManager.default
        func walk(_ relative: String) throws {
            let url = relative.isEmpty ? directory : directory.appendingPathComponent(relative)
            for name in try files.contentsOfDirectory(atPath: url.path).sorted() {
                let path = relative.isEmpty ? name : relative + "/" + name
                let full = directory.appendingPathComponent(path)
                let attributes = try files.attributesOfItem(atPath: full.path)
                switch attributes[.type] as? FileAttributeType {
                case .typeDirectory:
                    tree[path] = "directory"
                    try walk(path)
                case .typeSymbolicLink:
                    tree[path] = "link to " + (try files.destinationOfSymbolicLink(atPath: full.path))
                default:
                    let digest = SHA256.hash(data: try Data(contentsOf: full))
                    tree[path] = digest.map { String(format: "%02x", $0) }.joined()
                }
            }
        }
        try walk("")
        return tree
    }

    /// Rows in the audit tables: (runs, items).
    func auditRows() async throws -> (runs: Int, items: Int) {
        let row = try #require(
            try await self.pool.query(
                """
                SELECT (SELECT count(*) FROM attest.purge_runs) AS runs,
                    (SELECT count(*) FROM attest.purge_items) AS items
                """
            ).first
        )
        return (try row.decode("runs"), try row.decode("items"))
    }

    /// Each purge item as `run outcome code`, in order.
    func auditItems() async throws -> [String] {
        try await self.pool.query(
            """
            SELECT item.run_id || ' ' || item.outcome || ' ' || certificate.verification_code AS line
            FROM attest.purge_items item JOIN attest.certificates certificate ON certificate.id = item.certificate_id
            ORDER BY item.id
            """
        ).map { try $0.decode("line") }
    }
}
