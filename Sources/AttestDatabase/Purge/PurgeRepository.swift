// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Foundation

/// The SQL of `attest purge-pdfs`: selecting certificates in bulk, the audit trail, and clearing document links.
///
/// Every statement works on a whole batch (arrays or a JSON record set as one parameter), so a run over 10,000
/// learners costs a few round trips, not 10,000.
public struct PurgeRepository: Sendable {
    /// The session advisory lock that lets only one purge run at a time ("attestpg" in ASCII).
    static let lockKey: Int64 = 0x6174_7465_7374_7067

    static let runColumns = """
        id, started_at, finished_at, state::text AS state, os_user, operator, host, process_id,
        to_json(arguments)::text AS arguments, cardinality(learner_ids) AS learners_requested,
        cardinality(certificate_codes) AS certificates_requested, cardinality(not_found) AS not_found_count,
        certificates_selected, certificates_purged, files_deleted, files_missing, bytes_freed, already_purged, errors
        """

    /// Who starts a run, and what they asked for.
    public struct NewRun: Sendable {
        public var osUser: String
        public var `operator`: String?
        public var host: String
        public var processID: Int
        public var arguments: [String]
        public var learnerIDs: [String]
        public var certificateCodes: [String]
        public var notFound: [String]

        public init(
            osUser: String, operator: String?, host: String, processID: Int, arguments: [String],
            learnerIDs: [String], certificateCodes: [String], notFound: [String]
        ) {
            self.osUser = osUser
            self.operator = `operator`
            self.host = host
            self.processID = processID
            self.arguments = arguments
            self.learnerIDs = learnerIDs
            self.certificateCodes = certificateCodes
            self.notFound = notFound
        }
    }

    /// An audit entry to add: an intent before a file is touched, or a final outcome that touches nothing.
    public struct NewItem: Sendable, Encodable {
        public var certificateID: UUID
        public var filePath: String?
        public var fileBytes: Int?
        public var outcome: PurgeItemRecord.Outcome
        public var message: String?

        public init(
            certificateID: UUID,
            filePath: String?,
            fileBytes: Int?,
            outcome: PurgeItemRecord.Outcome,
            message: String? = nil
        ) {
            self.certificateID = certificateID
            self.filePath = filePath
            self.fileBytes = fileBytes
            self.outcome = outcome
            self.message = message
        }
    }

    /// The outcome of an intent once its file was dealt with; `clearsLink` also clears the certificate's link.
    public struct Settlement: Sendable, Encodable {
        public var itemID: Int64
        public var certificateID: UUID
        public var filePath: String
        public var outcome: PurgeItemRecord.Outcome
        public var message: String?
        public var clearsLink: Bool

        public init(
            itemID: Int64,
            certificateID: UUID,
            filePath: String,
            outcome: PurgeItemRecord.Outcome,
            message: String?,
            clearsLink: Bool
        ) {
            self.itemID = itemID
            self.certificateID = certificateID
            self.filePath = filePath
            self.outcome = outcome
            self.message = message
            self.clearsLink = clearsLink
        }
    }

    public init() {}

    // MARK: - Exclusion

    /// Takes the purge lock for this session; false when another purge holds it. Closing the connection
    /// releases it, so a killed run never leaves it taken.
    public func tryLock(on connection: PGConnection) async throws -> Bool {
        try await connection.query("SELECT pg_try_advisory_lock($1) AS locked", [Self.lockKey])
            .first?.decode("locked", as: Bool.self) ?? false
    }

    public func unlock(on connection: PGConnection) async throws {
        try await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
    }

    // MARK: - Selection

    /// Every certificate of these learners (ids compared as exact text), in one statement.
    public func certificates(learnerIDs: [String], on connection: PGConnection) async throws -> [CertificateRecord] {
        try await connection.query(
            """
            SELECT \(CertificateRepository.columns) FROM attest.certificates
            WHERE learner_id = ANY($1::text[]) ORDER BY learner_id, created_at, id
            """,
            [PGArray(learnerIDs)]
        ).map(CertificateRepository.record)
    }

    /// The certificates with these (upper-case) verification codes, in one statement.
    public func certificates(codes: [String], on connection: PGConnection) async throws -> [CertificateRecord] {
        try await connection.query(
            """
            SELECT \(CertificateRepository.columns) FROM attest.certificates
            WHERE verification_code = ANY($1::text[]) ORDER BY learner_id, created_at, id
            """,
            [PGArray(codes)]
        ).map(CertificateRepository.record)
    }

    /// For each of these certificates that an interrupted run had started on, the latest such run.
    public func interruptedRuns(certificateIDs: [UUID], on connection: PGConnection) async throws -> [UUID: Int64] {
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (certificate_id) certificate_id, run_id FROM attest.purge_items
            WHERE outcome = 'interrupted' AND certificate_id = ANY($1::uuid[])
            ORDER BY certificate_id, run_id DESC
            """,
            [PGArray(certificateIDs)]
        )
        var runs: [UUID: Int64] = [:]
        for row in rows {
            runs[try row.decode("certificate_id", as: UUID.self)] = try row.decode("run_id", as: Int64.self)
        }
        return runs
    }

    // MARK: - Runs

    /// Closes the runs still marked running, which only dead processes can have once the lock is held: their
    /// unfinished intents become `interrupted` and their counts are taken. Returns their ids.
    public func closeAbandonedRuns(on connection: PGConnection) async throws -> [Int64] {
        let ids = try await connection.query("SELECT id FROM attest.purge_runs WHERE state = 'running' ORDER BY id")
            .map { try $0.decode("id", as: Int64.self) }
        if !ids.isEmpty {
            try await self.close(runIDs: ids, interrupted: true, on: connection)
        }
        return ids
    }

    public func startRun(_ run: NewRun, on connection: PGConnection) async throws -> Int64 {
        let rows = try await connection.query(
            """
            INSERT INTO attest.purge_runs (
                os_user, operator, host, process_id, arguments, learner_ids, certificate_codes, not_found
            ) VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7::text[], $8::text[])
            RETURNING id
            """,
            [
                run.osUser, run.operator, run.host, run.processID, PGArray(run.arguments), PGArray(run.learnerIDs),
                PGArray(run.certificateCodes), PGArray(run.notFound),
            ]
        )
        guard let id: Int64 = try rows.first?.decode("id") else {
            throw PGError(.server, "inserting a purge run returned no id")
        }
        return id
    }

    /// Marks a run finished (`succeeded`, or `failed` when an item ended in error), or `interrupted` (its
    /// unfinished intents too), with its counts taken from its items. Returns the run.
    @discardableResult
    public func finish(runID: Int64, interrupted: Bool = false, on connection: PGConnection) async throws
        -> PurgeRunRecord
    {
        try await self.close(runIDs: [runID], interrupted: interrupted, on: connection)
        guard let run = try await self.run(id: runID, on: connection) else {
            throw PGError(.server, "purge run \(runID) vanished while it was finished")
        }
        return run
    }

    private func close(runIDs: [Int64], interrupted: Bool, on connection: PGConnection) async throws {
        try await connection.transaction { connection in
            if interrupted {
                try await connection.query(
                    """
                    UPDATE attest.purge_items SET outcome = 'interrupted'
                    WHERE run_id = ANY($1::bigint[]) AND outcome = 'intent'
                    """,
                    [PGArray(runIDs)]
                )
            }
            try await connection.query(
                """
                WITH counts AS (
                    SELECT run.id AS run_id,
                        count(DISTINCT item.certificate_id) AS selected,
                        count(DISTINCT item.certificate_id) FILTER (WHERE item.outcome IN ('deleted', 'missing_file'))
                            AS purged,
                        count(*) FILTER (WHERE item.outcome = 'deleted') AS deleted,
                        count(*) FILTER (WHERE item.outcome = 'missing_file') AS missing,
                        coalesce(sum(item.file_bytes) FILTER (WHERE item.outcome = 'deleted'), 0) AS freed,
                        count(*) FILTER (WHERE item.outcome = 'already_purged') AS already,
                        count(*) FILTER (
                            WHERE item.outcome IN ('refused_outside_root', 'refused_hash_mismatch', 'pending', 'error')
                        ) AS errors
                    FROM attest.purge_runs run LEFT JOIN attest.purge_items item ON item.run_id = run.id
                    WHERE run.id = ANY($1::bigint[])
                    GROUP BY run.id
                )
                UPDATE attest.purge_runs run SET
                    state = (CASE WHEN $2 THEN 'interrupted' WHEN counts.errors > 0 THEN 'failed' ELSE 'succeeded' END)
                        ::attest.purge_run_state,
                    finished_at = now(),
                    certificates_selected = counts.selected,
                    certificates_purged = counts.purged,
                    files_deleted = counts.deleted,
                    files_missing = counts.missing,
                    bytes_freed = counts.freed,
                    already_purged = counts.already,
                    errors = counts.errors
                FROM counts WHERE run.id = counts.run_id
                """,
                [PGArray(runIDs), interrupted]
            )
        }
    }

    // MARK: - Items

    /// Adds audit entries for a run in one statement; returns each one's id, in the order given.
    public func record(_ items: [NewItem], runID: Int64, on connection: PGConnection) async throws -> [Int64] {
        guard !items.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO attest.purge_items (
                run_id, certificate_id, file_path, file_bytes, outcome, message, finished_at
            )
            SELECT $1, certificate_id, file_path, file_bytes, outcome::attest.purge_outcome, message,
                CASE WHEN outcome = 'intent' THEN NULL ELSE now() END
            FROM jsonb_to_recordset($2::jsonb)
                AS input(certificate_id uuid, file_path text, file_bytes bigint, outcome text, message text)
            RETURNING id, certificate_id, file_path
            """,
            [runID, try Self.json(items)]
        )
        var ids: [ItemKey: Int64] = [:]
        for row in rows {
            let key = ItemKey(
                certificateID: try row.decode("certificate_id", as: UUID.self),
                filePath: try row.decode("file_path", as: String?.self)
            )
            ids[key] = try row.decode("id", as: Int64.self)
        }
        return try items.map { item in
            guard let id = ids[ItemKey(certificateID: item.certificateID, filePath: item.filePath)] else {
                throw PGError(.server, "the purge item of certificate \(item.certificateID) was not recorded")
            }
            return id
        }
    }

    /// Identifies an item within one batch: a certificate and one of its files.
    private struct ItemKey: Hashable {
        var certificateID: UUID
        var filePath: String?
    }

    /// Records the outcomes of intents and, for those that clear it, clears each certificate's document link
    /// (`document_path` NULL, `document_purged_at` set; nothing else changes), in one statement and so in one
    /// transaction. A link that no longer names the file the intent recorded is left alone and its item ends in
    /// `error`. Returns each item's final outcome and message.
    public func settle(
        _ settlements: [Settlement],
        on connection: PGConnection
    ) async throws -> [Int64: (outcome: PurgeItemRecord.Outcome, message: String?)] {
        guard !settlements.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM jsonb_to_recordset($1::jsonb)
                    AS x(
                        item_id bigint, certificate_id uuid, file_path text, outcome text, message text,
                        clears_link boolean
                    )
            ),
            cleared AS (
                UPDATE attest.certificates certificate SET document_path = NULL, document_purged_at = now()
                FROM input
                WHERE input.clears_link AND certificate.id = input.certificate_id
                    AND certificate.document_path = input.file_path
                RETURNING certificate.id
            )
            UPDATE attest.purge_items item SET
                outcome = (CASE WHEN input.clears_link AND cleared.id IS NULL THEN 'error' ELSE input.outcome END)
                    ::attest.purge_outcome,
                message = CASE WHEN input.clears_link AND cleared.id IS NULL
                    THEN 'the certificate no longer points at this file, so its link was kept; run the purge again'
                    ELSE input.message END,
                finished_at = now()
            FROM input LEFT JOIN cleared ON cleared.id = input.certificate_id
            WHERE item.id = input.item_id AND item.outcome = 'intent'
            RETURNING item.id, item.outcome::text AS outcome, item.message
            """,
            [try Self.json(settlements)]
        )
        var outcomes: [Int64: (outcome: PurgeItemRecord.Outcome, message: String?)] = [:]
        for row in rows {
            let outcome = PurgeItemRecord.Outcome(rawValue: try row.decode("outcome", as: String.self)) ?? .error
            outcomes[try row.decode("id", as: Int64.self)] = (outcome, try row.decode("message", as: String?.self))
        }
        return outcomes
    }

    // MARK: - History

    /// The latest runs, newest first.
    public func runs(limit: Int, on connection: PGConnection) async throws -> [PurgeRunRecord] {
        try await connection.query(
            "SELECT \(Self.runColumns) FROM attest.purge_runs ORDER BY id DESC LIMIT $1",
            [limit]
        ).map(Self.run)
    }

    public func run(id: Int64, on connection: PGConnection) async throws -> PurgeRunRecord? {
        try await connection.query("SELECT \(Self.runColumns) FROM attest.purge_runs WHERE id = $1", [id])
            .first.map(Self.run)
    }

    /// What a run did to each certificate, in the order it did it.
    public func items(runID: Int64, on connection: PGConnection) async throws -> [PurgeItemRecord] {
        try await connection.query(
            """
            SELECT item.id, item.run_id, item.certificate_id, certificate.verification_code, certificate.learner_id,
                item.file_path, item.file_bytes, item.outcome::text AS outcome, item.message, item.recorded_at,
                item.finished_at
            FROM attest.purge_items item JOIN attest.certificates certificate ON certificate.id = item.certificate_id
            WHERE item.run_id = $1 ORDER BY item.id
            """,
            [runID]
        ).map(Self.item)
    }

    /// The learner ids and codes a run found nothing for.
    public func notFound(runID: Int64, on connection: PGConnection) async throws -> [String] {
        guard
            let row = try await connection.query(
                "SELECT to_json(not_found)::text AS not_found FROM attest.purge_runs WHERE id = $1",
                [runID]
            ).first
        else { return [] }
        return try row.decodeJSON("not_found")
    }

    // MARK: - Rows

    static func json(_ value: some Encodable) throws -> PGJSON {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try PGJSON(encoding: value, encoder: encoder)
    }

    static func run(_ row: PGRow) throws -> PurgeRunRecord {
        PurgeRunRecord(
            id: try row.decode("id"),
            startedAt: try row.decode("started_at"),
            finishedAt: try row.decode("finished_at"),
            state: PurgeRunRecord.State(rawValue: try row.decode("state")) ?? .running,
            osUser: try row.decode("os_user"),
            operator: try row.decode("operator"),
            host: try row.decode("host"),
            processID: try row.decode("process_id"),
            arguments: try row.decodeJSON("arguments"),
            learnersRequested: try row.decode("learners_requested"),
            certificatesRequested: try row.decode("certificates_requested"),
            notFound: try row.decode("not_found_count"),
            certificatesSelected: try row.decode("certificates_selected"),
            certificatesPurged: try row.decode("certificates_purged"),
            filesDeleted: try row.decode("files_deleted"),
            filesMissing: try row.decode("files_missing"),
            bytesFreed: try row.decode("bytes_freed"),
            alreadyPurged: try row.decode("already_purged"),
            errors: try row.decode("errors")
        )
    }

    static func item(_ row: PGRow) throws -> PurgeItemRecord {
        PurgeItemRecord(
            id: try row.decode("id"),
            runID: try row.decode("run_id"),
            certificateID: try row.decode("certificate_id"),
            verificationCode: try row.decode("verification_code"),
            learnerID: try row.decode("learner_id"),
            filePath: try row.decode("file_path"),
            fileBytes: try row.decode("file_bytes"),
            outcome: PurgeItemRecord.Outcome(rawValue: try row.decode("outcome")) ?? .error,
            message: try row.decode("message"),
            recordedAt: try row.decode("recorded_at"),
            finishedAt: try row.decode("finished_at")
        )
    }
}
