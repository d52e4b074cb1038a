// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestFiles
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /v/{code}` (page or JSON), `GET /v/{code}/certificate.pdf` and `POST /v/{code}/check`.
///
/// Every answer is read from the certificate's row at request time, so it always tells what the row says now;
/// `ETag` + `Cache-Control: no-cache` let clients revalidate cheaply instead of trusting a stale copy.
struct VerificationRoutes {
    let server: AttestServer

    private static let revalidate = "no-cache"

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v/{code}") { request, context in
            try await self.verification(request, context: context)
        }
        router.get("/v/{code}/certificate.pdf") { request, context in
            try await self.document(request, context: context)
        }
        // HEAD answers like GET without the body (link checkers, caches revalidating).
        router.head("/v/{code}") { request, context in
            try await self.verification(request, context: context)
        }
        router.head("/v/{code}/certificate.pdf") { request, context in
            try await self.document(request, context: context)
        }
        router.post("/v/{code}/check") { request, context in
            try await self.check(request, context: context)
        }
    }

    // MARK: - Routes

    private func verification(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var code = try context.parameters.require("code")
        var json = Negotiation.acceptsJSON(request)
        if code.hasSuffix(".json") {
            code.removeLast(5)
            json = true
        }
        let verdict = try await self.verdict(code: code)
        let tag = verdict.entityTag(representation: json ? "json" : "html")
        let headers: HTTPFields = [.eTag: tag, .cacheControl: Self.revalidate, .vary: "Accept"]
        if EntityTag.matches(request, tag: tag) {
            return Responses.notModified(headers: headers)
        }
        if json {
            return Responses.json(
                CertificateJSON(verdict, publicBaseURL: self.server.configuration.publicBaseURL), headers: headers)
        }
        let page = CertificatePage(verdict, publicBaseURL: self.server.configuration.publicBaseURL)
        return Responses.html(self.server.pages.certificatePage(page), headers: headers)
    }

    private func document(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let verdict = try await self.verdict(code: try context.parameters.require("code"))
        guard let path = verdict.documentPath, let sha256 = verdict.documentSHA256 else {
            throw ServerError(.gone, "The PDF file of this certificate has been removed from this server.")
        }
        let tag = EntityTag.document(sha256: sha256)
        var headers: HTTPFields = [
            .eTag: tag,
            .cacheControl: Self.revalidate,
            .contentType: "application/pdf",
            .contentDisposition: "inline; filename=\"certificate-\(verdict.code).pdf\"",
        ]
        if EntityTag.matches(request, tag: tag) {
            return Responses.notModified(headers: headers)
        }
        let bytes: [UInt8]
        do {
            bytes = try await self.server.store.read(path)
        } catch let error as StorageError where error.code == .notFound {
            // The row still points at a file that is gone: answer like a purge, and tell the operator.
            context.logger.warning(
                "Certificate document missing from storage",
                metadata: [HTTPMetadataKey.certificateID: "\(verdict.id)"]
            )
            throw ServerError(.gone, "The PDF file of this certificate is not available on this server.")
        }
        headers[.contentLength] = "\(bytes.count)"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func check(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let verdict = try await self.verdict(code: try context.parameters.require("code"))
        var request = request
        let body = Array(
            try await request.collectBody(upTo: self.server.configuration.maximumCheckBytes).readableBytesView)
        guard let expected = verdict.documentSHA256 else {
            throw ServerError(.gone, "No file is recorded for this certificate, so there is nothing to compare with.")
        }
        // A raw body is the PDF (scripts); a form upload from the page carries it as its file part.
        var document = body
        var fromForm = false
        if Negotiation.isFormUpload(request), let contentType = request.headers[.contentType] {
            guard let file = MultipartFile.first(in: body, contentType: contentType) else {
                throw ServerError(.badRequest, "The form holds no file: choose the PDF to check.")
            }
            document = file
            fromForm = true
        }
        let actual = SHA256.hash(data: document).map { String(format: "%02x", $0) }.joined()
        let sizeMatches = verdict.documentBytes.map { $0 == document.count } ?? true
        let matched = sizeMatches && actual == expected
        if fromForm && !Negotiation.acceptsJSON(request) {
            let page = self.server.pages.checkPage(CheckPage(matched: matched, code: verdict.code))
            return Responses.html(page, headers: [.cacheControl: "no-store"])
        }
        return Responses.json(CheckResult(match: matched), headers: [.cacheControl: "no-store"])
    }

    // MARK: - Lookup

    /// The verdict for a code; unknown, malformed and pending codes all throw the same `notFound`.
    private func verdict(code: String) async throws -> CertificateVerdict {
        guard let parsed = VerificationCode(parsing: code) else { throw ServerError.unknownCertificate }
        let record = try await self.server.lookup.find(parsed.text)
        guard let record, let verdict = CertificateVerdict(record) else { throw ServerError.unknownCertificate }
        return verdict
    }
}

/// The answer of `POST /v/{code}/check`.
struct CheckResult: Encodable {
    let match: Bool
}
