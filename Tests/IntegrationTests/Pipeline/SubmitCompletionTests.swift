// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import AttestTestSupport
import Foundation
import Testing

@Suite("attest.submit_completion against a real PostgreSQL", .requiresDatabase)
struct SubmitCompletionTests {
    private let valid = PipelineTestSupport.completion(1)

    @Test("a completion is stored and its rendering enqueued in the caller's transaction; the same external_id again is a no-op")
    func submitsOnce() async throws {
        try await TestDatabase.withPool { _, pool in
            let first = try await pool.query("SELECT attest.submit_completion($1::jsonb) AS id", [self.valid])[0].decode("id", as: UUID.self)
            let second = try await pool.query("SELECT attest.submit_completion($1::jsonb) AS id", [self.valid])[0].decode("id", as: UUID.self)
            #expect(first == second)
            let jobs = try await pool.query("SELECT kind, payload->>'completion_id' AS completion FROM attest.jobs")
            #expect(jobs.count == 1)
            #expect(try jobs[0].decode("kind", as: String.self) == "certificate.render")
            #expect(try jobs[0].decode("completion", as: String.self) == first.uuidString.lowercased())

            // Rolled back with the caller's transaction: neither the completion nor its job exists.
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    _ = try await connection.query("SELECT attest.submit_completion($1::jsonb)", [PipelineTestSupport.completion(2)])
                    throw Abort()
                }
            }
            #expect(try await pool.query("SELECT count(*)::bigint AS n FROM attest.completions")[0].decode("n", as: Int.self) == 1)
        }
    }

    @Test(
        "invalid completions raise SQLSTATE 22023 naming the field",
        arguments: [
            (#"{"external_id": "x"}"#, "learner_id"),
            (#"[1, 2]"#, "$"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "Bell\u0007", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#, "learner_name"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "   ", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#, "learner_name"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "yesterday"}"#, "completed_at"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-02-30T00:00:00Z"}"#, "completed_at"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z", "score": 1.5}"#, "score"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z", "score": 1e400}"#, "score"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z", "template": "../etc"}"#, "template"),
            (#"{"external_id": "x", "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z", "locale": "not a tag"}"#, "locale"),
            (#"{"external_id": 7, "learner_id": "l", "learner_name": "n", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#, "external_id"),
        ]
    )
    func rejectsInvalid(document: String, field: String) async throws {
        try await TestDatabase.withPool { _, pool in
            let error = await #expect(throws: PGError.self) {
                try await pool.query("SELECT attest.submit_completion($1::jsonb)", [document])
            }
            #expect(error?.sqlState == "22023")
            #expect(error?.message.hasPrefix(field + ":") == true, "message: \(error?.message ?? "")")
            let jobs: Int = try await pool.query("SELECT count(*)::bigint AS n FROM attest.jobs")[0].decode("n")
            #expect(jobs == 0)
        }
    }

    @Test("the SQL function and AttestCore agree on which completions are valid")
    func rulesAgree() async throws {
        let documents = [
            self.valid,
            #"{"external_id": "a", "learner_id": "l", "learner_name": "  Zoë  ", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T23:59:59.123+05:30", "score": 0, "locale": "zh-Hant-TW"}"#,
            #"{"external_id": "b", "learner_id": "l", "learner_name": "\#(String(repeating: "é", count: 300))", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#,
            #"{"external_id": "c", "learner_id": "l", "learner_name": "\#(String(repeating: "é", count: 301))", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#,
            #"{"external_id": "d", "learner_id": "l", "learner_name": "a\u2028b", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z"}"#,
            #"{"external_id": "e", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00Z", "score": true}"#,
            #"{"external_id": "f", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T24:00:00Z"}"#,
            #"{"external_id": "g", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-12-31T23:59:60.5Z"}"#,
            #"{"external_id": "h", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00+18:00"}"#,
            #"{"external_id": "i", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00-23:59"}"#,
            #"{"external_id": "j", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00+24:00"}"#,
            #"{"external_id": "k", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "0000-01-01T00:00:00Z"}"#,
            #"{"external_id": "l", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2024-02-29T00:00:00Z"}"#,
            #"{"external_id": "m", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2025-02-29T00:00:00Z"}"#,
            #"{"external_id": "n", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01T00:00:00.Z"}"#,
            #"{"external_id": "o", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01t00:00:00.000000000001z"}"#,
            #"{"external_id": "p", "learner_id": "l", "learner_name": "ok", "course_id": "c", "course_title": "t", "organisation": "o", "completed_at": "2026-01-01 12:30:00+05:30"}"#,
        ]
        try await TestDatabase.withPool { _, pool in
            for document in documents {
                let swiftAccepts = (try? Completion(json: Data(document.utf8))) != nil
                let sqlAccepts = (try? await pool.query("SELECT attest.submit_completion($1::jsonb)", [document])) != nil
                #expect(swiftAccepts == sqlAccepts, "disagree on \(document.prefix(120))")
            }
        }
    }
}
