// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestPQ
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Shared program records: `GET /r/{token}` (page), `/r/{token}.csv` and `/r/{token}.pdf`, public to anyone with
/// the link; and with the bearer token `POST /api/records/share`, `DELETE /api/records/share/{token}` and
/// `GET /api/learners/{id}/records`.
///
/// A record is computed at request time from the certificates as they stand, and its link is checked on every
/// request, so an unshared link answers 404 at once; nothing is cached (`Cache-Control: no-store`). Unknown,
/// malformed and unshared tokens, and every link while records are switched off, get the same 404. No route
/// lists records publicly.
struct RecordRoutes {
    let server: AttestServer

    private static let noStore: HTTPFields = [.cacheControl: "no-store", .xRobotsTag: "noindex, nofollow"]
    /// A share request is two ids; anything larger is not one.
    private static let maximumShareBodyBytes = 16 * 1024

    func register(on router: Router<BasicRequestContext>) {
        router.get("/r/{token}") { request, context in
            try await self.shared(request, context: context)
        }
        router.post("/api/records/share") { request, context in
            try await self.share(request, context: context)
        }
        router.delete("/api/records/share/{token}") { request, context in
            try await self.unshare(request, context: context)
        }
        router.get("/api/learners/{id}/records") { request, context in
            try await self.learnerRecords(request, context: context)
        }
    }

    private var settings: RecordsSettings { self.server.configuration.records }
    private var repository: ProgramRecordRepository {
        ProgramRecordRepository(publicBaseURL: self.server.configuration.publicBaseURL)
    }

    // MARK: - Public links

    /// What a `/r/` link asks for: the page, or the file named by its suffix.
    private enum Representation {
        case page, csv, pdf
    }

    private func shared(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var text = try context.parameters.require("token")
        var representation = Representation.page
        for (suffix, kind) in [(".csv", Representation.csv), (".pdf", .pdf)] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            representation = kind
        }
        guard self.settings.enabled, let token = ShareToken(parsing: text) else { return try self.notFound(request) }
        let found = try await self.server.pool.withConnection { connection -> (RecordShare, ProgramRecord)? in
            guard let share = try await RecordShareRepository().findActive(token: token, on: connection),
                let record = try await self.repository.record(
                    learnerID: share.learnerID,
                    programID: share.programID,
                    on: connection
                )
            else { return nil }
            return (share, record)
        }
        guard let found else { return try self.notFound(request) }
        let (share, record) = found
        let name = Self.fileName(record.program.id)
        switch representation {
        case .page:
            let page = try RecordPageTemplates(pages: self.server.pages).recordPage(
                RecordPage(record, token: token.text)
            )
            return Responses.html(page, headers: Self.noStore)
        case .csv:
            var headers = Self.noStore
            headers[.contentType] = "text/csv; charset=utf-8; header=present"
            headers[.contentDisposition] = "attachment; filename=\"record-\(name).csv\""
            return Self.bytes(ProgramRecordCSV.document(record), headers: headers)
        case .pdf:
            guard let transcripts = self.settings.transcripts else {
                throw ServerError(.unavailable, "Transcripts cannot be rendered on this server right now.")
            }
            let pdf = try await transcripts.pdf(
                record,
                recordURL: share.url(publicBaseURL: self.server.configuration.publicBaseURL)
            )
            var headers = Self.noStore
            headers[.contentType] = "application/pdf"
            headers[.contentDisposition] = "inline; filename=\"record-\(name).pdf\""
            return Self.bytes(pdf, headers: headers)
        }
    }

    /// The one answer for every link that opens nothing.
    private func notFound(_ request: Request) throws -> Response {
        let failure = ServerError(.notFound, "No shared program record has this link.")
        if Negotiation.wantsJSON(request) {
            return Responses.json(ErrorBody(failure), status: .notFound, headers: Self.noStore)
        }
        let page = try RecordPageTemplates(pages: self.server.pages).problemPage(RecordProblemPage())
        return Responses.html(page, status: .notFound, headers: Self.noStore)
    }

    // MARK: - API

    private func share(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try self.authorize(request)
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumShareBodyBytes)
        let input: ShareRequest
        do {
            input = try JSONDecoder().decode(ShareRequest.self, from: Data(body.readableBytesView))
        } catch {
            throw ServerError(.badRequest, "Send a JSON object with learner_id and program_id, both strings.")
        }
        let shared = try await self.server.pool.withTransaction { connection -> (share: RecordShare, created: Bool)? in
            guard
                try await self.repository.record(learnerID: input.learnerID, programID: input.programID, on: connection)
                    != nil
            else { return nil }
            return try await RecordShareRepository().share(
                learnerID: input.learnerID,
                programID: input.programID,
                createdBy: "api",
                on: connection
            )
        }
        guard let shared else {
            throw ServerError(
                .notFound,
                "No record to share: the program is not in the catalog, or the learner has no completion."
            )
        }
        let link = ShareLink(
            url: shared.share.url(publicBaseURL: self.server.configuration.publicBaseURL),
            token: shared.share.token
        )
        return Responses.json(link, status: shared.created ? .created : .ok, headers: [.cacheControl: "no-store"])
    }

    /// Taking a link back works also while records are switched off, so that a learner can always withdraw it.
    private func unshare(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try BearerToken.authorize(request, token: self.server.configuration.apiToken)
        guard let token = ShareToken(parsing: try context.parameters.require("token")),
            try await self.server.pool.withConnection({ connection in
                try await RecordShareRepository().revoke(token: token, revokedBy: "api", on: connection)
            }) != nil
        else { throw ServerError(.notFound, "No active share has this token.") }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    private func learnerRecords(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try self.authorize(request)
        let learnerID = try context.parameters.require("id")
        let programs = try await self.server.pool.withConnection { connection in
            try await self.repository.progress(learnerID: learnerID, on: connection)
        }
        return Responses.json(
            LearnerRecords(learnerID: learnerID, programs: programs),
            headers: [.cacheControl: "no-store"]
        )
    }

    /// The bearer token, then the switch.
    private func authorize(_ request: Request) throws {
        try BearerToken.authorize(request, token: self.server.configuration.apiToken)
        guard self.settings.enabled else {
            throw ServerError(
                .apiDisabled,
                "Program records are switched off on this server (ATTEST_RECORDS_ENABLED=false)."
            )
        }
    }

    // MARK: - Helpers

    private static func bytes(_ bytes: [UInt8], headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentLength] = "\(bytes.count)"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A program id made safe for a `filename="…"` parameter.
    private static func fileName(_ programID: String) -> String {
        String(
            programID.unicodeScalars.prefix(80).map { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "-_.".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            }
        )
    }
}

extension HTTPField.Name {
    fileprivate static let xRobotsTag = HTTPField.Name("X-Robots-Tag")!
}
