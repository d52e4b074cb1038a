// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestDatabase
import AttestFiles
import AttestHTTP
import AttestPQ
import AttestQueue
import AttestRendering
import Foundation
import Logging
import Metrics

/// `certificate.render`: turns a completion into exactly one issued certificate with its PDF in storage.
///
/// The order of steps makes every retry safe: (1) reserve the certificate row — id, code, printed values and
/// document path — or find the one an earlier attempt reserved; (2) render from the row's values, which gives
/// the same bytes every time; (3) write the file atomically at the row's path; (4) mark the row issued with
/// the file's SHA-256 and size. A crash between any two steps leaves a pending row that the retry completes,
/// and never a file that no row points to.
struct CertificateRenderHandler: JobHandler {
    static let kind = "certificate.render"

    /// `{"completion_id": "…"}`, as `attest.submit_completion` enqueues it.
    struct Payload: Decodable {
        var completion_id: UUID
    }

    let store: any DocumentStore
    let renderer: CertificateRenderService
    /// `ATTEST_PUBLIC_URL` without a trailing slash.
    let publicURL: String
    /// `ATTEST_DEFAULT_TEMPLATE`.
    let defaultTemplate: String
    /// The database steps, each shared by the jobs that take it at the same time (`PGBatcher` says why): the jobs
    /// of one claim start together, so their reads and reservations coincide; issues come one render apart, so
    /// they wait a little longer for company.
    private let completions: PGBatcher<UUID, CompletionRepository.Record?>
    private let reservations: PGBatcher<CertificateRepository.Reservation, CertificateRecord>
    private let issues: PGBatcher<CertificateRepository.Issue, Bool>

    init(pool: PGPool, store: any DocumentStore, renderer: CertificateRenderService, publicURL: String, defaultTemplate: String) {
        self.store = store
        self.renderer = renderer
        self.publicURL = publicURL
        self.defaultTemplate = defaultTemplate
        self.completions = PGBatcher(pool: pool, window: .milliseconds(1)) { ids, connection in
            try await CompletionRepository().find(ids: ids, on: connection)
        }
        self.reservations = PGBatcher(pool: pool, window: .milliseconds(1)) { reservations, connection in
            try await CertificateRepository().reserve(reservations, on: connection)
        }
        self.issues = PGBatcher(pool: pool, window: .milliseconds(2)) { issues, connection in
            try await CertificateRepository().markIssued(issues, on: connection)
        }
    }

    func run(_ context: JobContext) async throws {
        let payload = try context.decodePayload(as: Payload.self)
        guard let completion = try await self.completions.call(payload.completion_id) else {
            throw JobError.permanent("completion \(payload.completion_id) does not exist", kind: "unknown_completion")
        }

        let templateID = completion.templateID ?? self.defaultTemplate
        let template: CertificateTemplate
        do {
            template = try self.renderer.template(id: templateID)
        } catch let error as RenderError {
            throw JobError.permanent("template \(templateID) cannot be used: \(error.message)", kind: "unknown_template")
        }

        let id = UUID()
        let reservation = CertificateRepository.Reservation(
            id: id,
            completionID: completion.id,
            verificationCode: VerificationCode.random().text,
            learnerID: completion.learnerID,
            learnerName: completion.learnerName,
            courseTitle: completion.courseTitle,
            organisation: completion.organisation,
            issuedOn: CalendarDate(utcMidnight: completion.completedOn).description,
            locale: completion.locale,
            score: completion.score,
            programTitle: completion.programTitle,
            templateID: template.id,
            templateVersion: template.version,
            documentPath: Self.documentPath(for: id)
        )
        // Content that can never be drawn fails before a row is reserved.
        do {
            try Self.content(for: reservation, url: self.url(for: reservation.verificationCode)).validate()
        } catch let error as RenderError {
            throw JobError.permanent(error.message, kind: "invalid_content")
        }
        let certificate = try await self.reservations.call(reservation)
        guard certificate.status == .pending, let path = certificate.documentPath else {
            context.logger.debug("Certificate already issued", metadata: ["certificate.id": "\(certificate.id)"])
            return
        }
        try context.checkCancellation()

        let content = Self.content(for: certificate, url: self.url(for: certificate.verificationCode))
        let pdf: [UInt8]
        let started = ContinuousClock.now
        do {
            pdf = try await self.renderer.render(content, templateID: certificate.templateID)
            Metrics.Timer(label: MetricLabel.renderDuration, dimensions: [("template", certificate.templateID)])
                .record(duration: ContinuousClock.now - started)
        } catch let error as RenderError {
            switch error.code {
            case .cairo, .pango, .fontsUnavailable: throw error
            default: throw JobError.permanent(error.message, kind: "render_failed")
            }
        }
        let stored = try await self.store.write(pdf, to: path)
        _ = try await self.issues.call(
            CertificateRepository.Issue(certificateID: certificate.id, sha256: stored.sha256, bytes: stored.byteCount)
        )
    }

    /// Where a certificate's PDF lives in storage, derived from its id alone.
    static func documentPath(for id: UUID) -> String {
        let name = id.uuidString.lowercased()
        return "certificates/\(name.prefix(2))/\(name).pdf"
    }

    func url(for code: String) -> String {
        "\(self.publicURL)/v/\(code)"
    }

    static func content(for reservation: CertificateRepository.Reservation, url: String) -> CertificateContent {
        CertificateContent(
            learnerName: reservation.learnerName,
            courseTitle: reservation.courseTitle,
            organisation: reservation.organisation,
            issuedOn: CalendarDate(isoDate: reservation.issuedOn) ?? CalendarDate(daysSinceUnixEpoch: 0),
            locale: reservation.locale,
            verificationCode: reservation.verificationCode,
            verificationURL: url,
            score: reservation.score,
            programTitle: reservation.programTitle
        )
    }

    static func content(for certificate: CertificateRecord, url: String) -> CertificateContent {
        CertificateContent(
            learnerName: certificate.learnerName,
            courseTitle: certificate.courseTitle,
            organisation: certificate.organisation,
            issuedOn: CalendarDate(utcMidnight: certificate.issuedOn),
            locale: certificate.locale,
            verificationCode: certificate.verificationCode,
            verificationURL: url,
            score: certificate.score,
            programTitle: certificate.programTitle
        )
    }
}
