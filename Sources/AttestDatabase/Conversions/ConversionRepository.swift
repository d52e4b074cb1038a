// Attest — certificates and documents you can verify. Apache-2.0.

public import AttestPQ
public import Foundation

/// Conversions in the database: recording a queued deck, finishing it, looking it up.
public struct ConversionRepository: Sendable {
    static let columns = """
        id, source_name, source_path, source_sha256, source_bytes, state, output_path, output_sha256, output_bytes,
        format, pages, slides, error, duration_ms, created_at, finished_at
        """

    /// A source deck already stored, about to be queued.
    public struct NewConversion: Sendable {
        public var id: UUID
        public var sourceName: String
        public var sourcePath: String
        public var sourceSHA256: String
        public var sourceBytes: Int

        public init(id: UUID, sourceName: String, sourcePath: String, sourceSHA256: String, sourceBytes: Int) {
            self.id = id
            self.sourceName = sourceName
            self.sourcePath = sourcePath
            self.sourceSHA256 = sourceSHA256
            self.sourceBytes = sourceBytes
        }
    }

    /// What a successful conversion produced.
    public struct Output: Sendable {
        public var path: String
        public var sha256: String
        public var bytes: Int
        public var format: String
        public var pages: Int
        public var slides: Int
        public var durationMilliseconds: Double

        public init(
            path: String, sha256: String, bytes: Int, format: String, pages: Int, slides: Int,
            durationMilliseconds: Double
        ) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.format = format
            self.pages = pages
            self.slides = slides
            self.durationMilliseconds = durationMilliseconds
        }
    }

    public init() {}

    /// Inserts a pending conversion (in the caller's transaction, with its job).
    public func insert(_ conversion: NewConversion, on connection: PGConnection) async throws {
        try await connection.query(
            """
            INSERT INTO attest.conversions (id, source_name, source_path, source_sha256, source_bytes)
            VALUES ($1, $2, $3, $4, $5)
            """,
            [
                conversion.id, conversion.sourceName, conversion.sourcePath, conversion.sourceSHA256,
                conversion.sourceBytes,
            ]
        )
    }

    public func find(id: UUID, on connection: PGConnection) async throws -> ConversionRecord? {
        try await connection.query("SELECT \(Self.columns) FROM attest.conversions WHERE id = $1", [id])
            .first.map(Self.record)
    }

    /// Records the PDF of a pending conversion. Returns false if it was no longer pending.
    @discardableResult
    public func markSucceeded(id: UUID, output: Output, on connection: PGConnection) async throws -> Bool {
        try await connection.query(
            """
            UPDATE attest.conversions SET state = 'succeeded', output_path = $2, output_sha256 = $3,
                output_bytes = $4, format = $5, pages = $6, slides = $7, duration_ms = $8, finished_at = now()
            WHERE id = $1 AND state = 'pending'
            """,
            [
                id, output.path, output.sha256, output.bytes, output.format, output.pages, output.slides,
                output.durationMilliseconds,
            ]
        ).affectedRows == 1
    }

    /// Records why a pending conversion can never succeed. Returns false if it was no longer pending.
    @discardableResult
    public func markFailed(id: UUID, error: String, on connection: PGConnection) async throws -> Bool {
        try await connection.query(
            "UPDATE attest.conversions SET state = 'failed', error = $2, finished_at = now() WHERE id = $1 AND state = 'pending'",
            [id, error]
        ).affectedRows == 1
    }

    static func record(_ row: PGRow) throws -> ConversionRecord {
        ConversionRecord(
            id: try row.decode("id"),
            sourceName: try row.decode("source_name"),
            sourcePath: try row.decode("source_path"),
            sourceSHA256: try row.decode("source_sha256"),
            sourceBytes: try row.decode("source_bytes"),
            state: ConversionRecord.State(rawValue: try row.decode("state")) ?? .pending,
            outputPath: try row.decode("output_path"),
            outputSHA256: try row.decode("output_sha256"),
            outputBytes: try row.decode("output_bytes"),
            format: try row.decode("format"),
            pages: try row.decode("pages"),
            slides: try row.decode("slides"),
            error: try row.decode("error"),
            durationMilliseconds: try row.decode("duration_ms"),
            createdAt: try row.decode("created_at"),
            finishedAt: try row.decode("finished_at")
        )
    }
}
