// Attest — certificates and documents you can verify. Apache-2.0.

import AttestPQ
import AttestTestSupport
import Foundation
import Testing

@Suite("PGConnection against a real PostgreSQL", .requiresDatabase)
struct PGConnectionTests {
    @Test("every decoded type round-trips, including NULL, empty string, non-BMP text and 1 MiB of bytea")
    func roundTrip() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                let text = "Zoë 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 مرحبا 漢字"
                let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
                let id = UUID()
                let when = Date(timeIntervalSince1970: 1_790_000_000.123456)
                let rows = try await connection.query(
                    """
                    SELECT $1::text AS text, $2::text AS empty, $3::bigint AS big, $4::integer AS int4,
                           $5::double precision AS double, $6::boolean AS flag, $7::uuid AS id,
                           $8::timestamptz AS at, $9::bytea AS bytes, $10::jsonb AS document,
                           $11::text AS missing, 42::smallint AS small, 1.5::real AS single
                    """,
                    [
                        text, "", Int64.min, Int32(-7), 3.141592653589793, true, id, when, bytes,
                        try PGJSON(encoding: ["name": text]), String?.none,
                    ]
                )
                let row = try #require(rows.first)
                #expect(try row.decode("text", as: String.self) == text)
                #expect(try row.decode("empty", as: String.self) == "")
                #expect(try row.decode("big", as: Int64.self) == Int64.min)
                #expect(try row.decode("int4", as: Int32.self) == -7)
                #expect(try row.decode("int4", as: Int.self) == -7)
                #expect(try row.decode("double", as: Double.self) == 3.141592653589793)
                #expect(try row.decode("flag", as: Bool.self) == true)
                #expect(try row.decode("id", as: UUID.self) == id)
                #expect(try row.decode("at", as: Date.self) == when)
                #expect(try row.decode("bytes", as: [UInt8].self) == bytes)
                #expect(try row.decode("bytes", as: Data.self) == Data(bytes))
                #expect(try row.decodeJSON("document", as: [String: String].self) == ["name": text])
                #expect(try row.decode("missing", as: String?.self) == nil)
                #expect(try row.isNull("missing"))
                #expect(try row.decode("small", as: Int.self) == 42)
                #expect(try row.decode("single", as: Double.self) == 1.5)
                #expect(try row.decode(0, as: String.self) == text)
            }
        }
    }

    @Test("decoding errors name the column and the types")
    func decodingErrors() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                let row = try #require(try await connection.query("SELECT 1::integer AS count, NULL::text AS note").first)
                let mismatch = #expect(throws: PGError.self) { try row.decode("count", as: String.self) }
                #expect(mismatch?.code == .columnTypeMismatch)
                #expect(mismatch?.message.contains("\"count\"") == true)
                #expect(mismatch?.message.contains("integer") == true)
                let null = #expect(throws: PGError.self) { try row.decode("note", as: String.self) }
                #expect(null?.code == .unexpectedNull)
                #expect(null?.message.contains("\"note\"") == true)
                let missing = #expect(throws: PGError.self) { try row.decode("nope", as: String.self) }
                #expect(missing?.code == .columnNotFound)
            }
        }
    }

    @Test("values are parameters, never SQL: a quote in a value is just text")
    func parametersAreNotSQL() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                let hostile = "'); DROP TABLE t; --"
                try await connection.query("CREATE TABLE t (name text)")
                try await connection.query("INSERT INTO t (name) VALUES ($1)", [hostile])
                let rows = try await connection.query("SELECT name FROM t")
                #expect(try rows.map { try $0.decode("name", as: String.self) } == [hostile])
            }
        }
    }

    @Test("a transaction commits on return and rolls back on throw")
    func transactions() async throws {
        struct Abort: Error {}
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                try await connection.query("CREATE TABLE t (n integer)")
                try await connection.transaction { _ = try await $0.query("INSERT INTO t VALUES (1)") }
                await #expect(throws: Abort.self) {
                    try await connection.transaction { connection in
                        try await connection.query("INSERT INTO t VALUES (2)")
                        throw Abort()
                    }
                }
                let rows = try await connection.query("SELECT n FROM t ORDER BY n")
                #expect(try rows.map { try $0.decode("n", as: Int.self) } == [1])
                // The connection is usable after the rollback.
                #expect(try await connection.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
            }
        }
    }

    @Test("a statement is prepared once per text and parameter types, and keeps working after errors and schema changes")
    func preparedStatements() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                let echo = "SELECT $1 AS value"
                #expect(try await connection.query(echo, [Int64(7)])[0].decode("value", as: Int64.self) == 7)
                #expect(try await connection.query(echo, [Int64(8)])[0].decode("value", as: Int64.self) == 8)
                // The same text with a text parameter is another statement, not a type error.
                #expect(try await connection.query(echo, ["eight"])[0].decode("value", as: String.self) == "eight")
                let prepared = try await connection.query(
                    "SELECT count(*)::bigint AS n FROM pg_prepared_statements WHERE statement = $1",
                    [echo]
                )
                #expect(try prepared[0].decode("n", as: Int.self) == 2)

                // An error at execution leaves the prepared statement usable, inside and after a failed transaction.
                let divide = "SELECT 10 / $1::integer AS quotient"
                await #expect(throws: PGError.self) { try await connection.query(divide, [Int32(0)]) }
                #expect(try await connection.query(divide, [Int32(5)])[0].decode("quotient", as: Int.self) == 2)
                await #expect(throws: PGError.self) {
                    try await connection.transaction { try await $0.query(divide, [Int32(0)]) }
                }
                #expect(try await connection.query(divide, [Int32(2)])[0].decode("quotient", as: Int.self) == 5)

                // A table changed under a prepared statement is planned again.
                try await connection.query("CREATE TABLE t (n integer)")
                try await connection.query("INSERT INTO t VALUES ($1)", [Int32(1)])
                let read = "SELECT n FROM t WHERE n >= $1::integer ORDER BY n"
                #expect(try await connection.query(read, [Int32(0)]).count == 1)
                try await connection.query("CREATE INDEX t_n ON t (n)")
                try await connection.query("INSERT INTO t VALUES ($1)", [Int32(2)])
                #expect(try await connection.query(read, [Int32(0)]).map { try $0.decode("n", as: Int.self) } == [1, 2])
            }
        }
    }

    @Test("a unique violation carries SQLSTATE 23505 and the constraint, with no SQL in its description")
    func uniqueViolation() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection { connection in
                try await connection.query("CREATE TABLE t (code text CONSTRAINT t_code_key UNIQUE)")
                try await connection.query("INSERT INTO t VALUES ($1)", ["a"])
                let error = await #expect(throws: PGError.self) {
                    try await connection.query("INSERT INTO t VALUES ($1)", ["a"])
                }
                #expect(error?.code == .server)
                #expect(error?.sqlState == "23505")
                #expect(error?.constraint == "t_code_key")
                #expect(error?.detail?.contains("already exists") == true)
                #expect(error?.description.contains("INSERT") == false)
            }
        }
    }

    @Test("connection failures say what to check and never show the password")
    func connectionFailures() async throws {
        let url = try #require(IntegrationEnvironment.databaseURL)
        let wrongPassword = url.replacingOccurrences(of: ":attest@", with: ":s3cret-wrong@")
        try #require(wrongPassword != url, "the test cluster's URL carries the password 'attest'")
        let auth = await #expect(throws: PGError.self) {
            _ = try await PGConnection.connect(to: wrongPassword)
        }
        #expect(auth?.code == .connectionFailed)
        #expect(auth?.message.contains("password authentication failed") == true)
        #expect(auth?.description.contains("s3cret-wrong") == false)

        let refused = await #expect(throws: PGError.self) {
            _ = try await PGConnection.connect(to: "postgres://u:hidden@127.0.0.1:1/db")
        }
        #expect(refused?.code == .connectionFailed)
        #expect(refused?.message.contains("refused") == true)
        #expect(refused?.description.contains("hidden") == false)

        let malformed = await #expect(throws: PGError.self) {
            _ = try await PGConnection.connect(to: "postgres://u:hidden@host:port/db?bogus=1")
        }
        #expect(malformed?.code == .invalidConnectionString)
        #expect(malformed?.description.contains("hidden") == false)
    }
}
