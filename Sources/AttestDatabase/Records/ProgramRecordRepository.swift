// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore
public import AttestPQ

/// Computes program records from the catalog and the learner's certificates; nothing about a record is stored.
///
/// Certificates do not store their course, so each one is joined to its completion for `course_id`. Per course
/// the record shows the learner's best valid (issued) certificate: highest score, then latest completion; a
/// course whose certificates are all revoked shows as revoked; pending certificates do not count yet.
public struct ProgramRecordRepository: Sendable {
    /// `ATTEST_PUBLIC_URL` without a trailing slash, for verification and share URLs.
    public var publicBaseURL: String

    public init(publicBaseURL: String) {
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
    }

    /// The learner's record in the program, or nil when the program is not in the catalog or the learner has no
    /// completion at all.
    package func record(learnerID: String, programID: String, on connection: PGConnection) async throws
        -> ProgramRecord?
    {
        let heading = try await connection.query(
            """
            SELECT p.id, p.title, p.organisation, p.type, learner.learner_name
            FROM attest.programs p,
                LATERAL (
                    SELECT c.learner_name FROM attest.completions c WHERE c.learner_id = $1
                    ORDER BY c.completed_at DESC, c.submitted_at DESC, c.id LIMIT 1
                ) learner
            WHERE p.id = $2
            """,
            [learnerID, programID]
        )
        guard let row = heading.first else { return nil }
        let program = ProgramRecord.ProgramInfo(
            id: try row.decode("id"),
            title: try row.decode("title"),
            organisation: try row.decode("organisation"),
            type: try row.decode("type")
        )
        let courses = try await connection.query(
            """
            SELECT pc.position, pc.course_id, pc.title, best.status, best.score, best.completed_on,
                best.verification_code
            FROM attest.program_courses pc
            LEFT JOIN LATERAL (
                SELECT certificate.status::text AS status, certificate.score,
                    completion.completed_on::text AS completed_on, certificate.verification_code
                FROM attest.certificates certificate
                JOIN attest.completions completion ON completion.id = certificate.completion_id
                WHERE certificate.learner_id = $1 AND completion.course_id = pc.course_id
                    AND certificate.status IN ('issued', 'revoked')
                ORDER BY certificate.status = 'issued' DESC, certificate.score DESC NULLS LAST,
                    completion.completed_on DESC, certificate.verification_code
                LIMIT 1
            ) best ON true
            WHERE pc.program_id = $2
            ORDER BY pc.position
            """,
            [learnerID, programID]
        ).map(self.course)
        return ProgramRecord(
            program: program,
            learnerID: learnerID,
            learnerName: try row.decode("learner_name"),
            courses: courses
        )
    }

    /// The programs the learner has started (a completion of one of its courses, or a completion naming the
    /// program), with progress and the active share link; by title.
    public func progress(learnerID: String, on connection: PGConnection) async throws -> [ProgramProgress] {
        try await connection.query(
            """
            SELECT p.id, p.title, p.organisation, p.type, count(*) AS total,
                count(*) FILTER (WHERE EXISTS (
                    SELECT 1 FROM attest.certificates certificate
                    JOIN attest.completions completion ON completion.id = certificate.completion_id
                    WHERE certificate.learner_id = $1 AND completion.course_id = pc.course_id
                        AND certificate.status = 'issued'
                )) AS earned,
                share.token, share.created_at AS shared_at
            FROM attest.programs p
            JOIN attest.program_courses pc ON pc.program_id = p.id
            LEFT JOIN attest.record_shares share
                ON share.program_id = p.id AND share.learner_id = $1 AND share.revoked_at IS NULL
            WHERE EXISTS (
                    SELECT 1 FROM attest.completions completion
                    JOIN attest.program_courses started ON started.course_id = completion.course_id
                    WHERE started.program_id = p.id AND completion.learner_id = $1
                ) OR EXISTS (
                    SELECT 1 FROM attest.completions completion
                    WHERE completion.learner_id = $1 AND completion.program_id = p.id
                )
            GROUP BY p.id, share.token
            ORDER BY p.title, p.id
            """,
            [learnerID]
        ).map { row in
            let token: String? = try row.decode("token")
            return ProgramProgress(
                programID: try row.decode("id"),
                title: try row.decode("title"),
                organisation: try row.decode("organisation"),
                type: try row.decode("type"),
                earned: try row.decode("earned"),
                total: try row.decode("total"),
                shareURL: token.map { "\(self.publicBaseURL)/r/\($0)" },
                sharedAt: try row.decode("shared_at")
            )
        }
    }

    private func course(_ row: PGRow) throws -> ProgramRecord.Course {
        let status: String? = try row.decode("status")
        let code: String? = try row.decode("verification_code")
        let completedOn: String? = try row.decode("completed_on")
        let recordStatus: ProgramRecord.Status =
            switch status {
            case "issued": .earned
            case "revoked": .revoked
            default: .notEarned
            }
        return ProgramRecord.Course(
            position: try row.decode("position"),
            courseID: try row.decode("course_id"),
            title: try row.decode("title"),
            status: recordStatus,
            score: recordStatus == .earned ? try row.decode("score") : nil,
            completedOn: completedOn.flatMap(CalendarDate.init(isoDate:)),
            verificationCode: code,
            verificationURL: code.map { "\(self.publicBaseURL)/v/\($0)" }
        )
    }
}
