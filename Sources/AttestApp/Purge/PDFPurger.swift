// Attest — certificates and documents you can verify. Apache-2.0.

import AttestDatabase
import AttestFiles
import AttestPQ
import Crypto
import Foundation
import Logging

/// Deletes the files of selected certificates through the document store and clears their links, in an order
/// that a crash at any point leaves recoverable, with every step in the audit trail.
///
/// Per batch of certificates: (1) record an `intent` item per file and commit; (2) read each file through the
/// store (which never touches anything outside its root), check that its SHA-256 is the certificate's, and delete
/// it; (3) in one statement, clear each purged certificate's `document_path`, set its `document_purged_at` and
/// record each item's outcome. A crash before (2) leaves intents that the next run marks `interrupted` and then
/// purges again; a crash between (2) and (3) leaves links to deleted files, which the next run finds missing,
/// clears and attributes to the interrupted run. Status, verification code and every printed value stay as they
/// were (the certificates trigger allows nothing else).
struct PDFPurger: Sendable {
    /// How the purger batches its work.
    struct Configuration: Sendable {
        /// Certificates per intent and outcome statement. Defaults to 100.
        var batchSize = 100
    }

    let configuration: Configuration
    let store: any DocumentStore
    let logger: Logger
    let repository = PurgeRepository()

    // MARK: - Selection

    /// Resolves `selection` against the database, in one query.
    func plan(_ selection: PurgeSelection, on connection: PGConnection) async throws -> PurgePlan {
        let certificates: [CertificateRecord]
        switch selection {
        case .learners(let ids):
            certificates = try await self.repository.certificates(learnerIDs: ids, on: connection)
        case .certificates:
            certificates = try await self.repository.certificates(codes: selection.certificateCodes, on: connection)
        }
        return PurgePlan(selection: selection, certificates: certificates)
    }

    /// The files other than a certificate's PDF that Attest keeps for it: none today. Every file a row names is
    /// purged through this list, so a new kind of file is added here.
    static func files(of certificate: CertificateRecord) -> [String] {
        certificate.documentPath.map { [$0] } ?? []
    }

    // MARK: - Dry run

    /// What a purge of `plan` would do, looking at the files but changing nothing.
    func preview(_ plan: PurgePlan, report: (PurgeResult) -> Void) async {
        for certificate in plan.alreadyPurged {
            report(PurgeResult(certificate: certificate, outcome: .alreadyPurged))
        }
        for certificate in plan.pending {
            report(Self.pendingResult(certificate))
        }
        for certificate in plan.toPurge {
            for path in Self.files(of: certificate) {
                let outcome: (PurgeItemRecord.Outcome, String?)
                switch await self.inspect(path, of: certificate) {
                case .present: outcome = (.deleted, nil)
                case .missing: outcome = (.missingFile, nil)
                case .refused(let refusal, let message): outcome = (refusal, message)
                }
                report(PurgeResult(certificate: certificate, outcome: outcome.0, filePath: path, message: outcome.1))
            }
        }
    }

    // MARK: - Purge

    /// Purges `plan` as run `runID`, reporting each certificate as it is settled. `afterDeletion` is called with
    /// the number of files deleted so far after each deletion. `interruptedRuns` names, per certificate, the
    /// interrupted run that had started on it, so a file that run deleted is reported as such.
    func purge(
        _ plan: PurgePlan,
        runID: Int64,
        interruptedRuns: [UUID: Int64],
        on connection: PGConnection,
        afterDeletion: (Int) -> Void,
        report: (PurgeResult) -> Void
    ) async throws {
        let untouched =
            plan.alreadyPurged.map { PurgeResult(certificate: $0, outcome: .alreadyPurged) }
            + plan.pending.map(Self.pendingResult)
        _ = try await self.repository.record(
            untouched.map {
                PurgeRepository.NewItem(
                    certificateID: $0.certificate.id,
                    filePath: $0.filePath,
                    fileBytes: nil,
                    outcome: $0.outcome,
                    message: $0.message
                )
            },
            runID: runID,
            on: connection
        )
        untouched.forEach(report)

        var deletions = 0
        for start in stride(from: 0, to: plan.toPurge.count, by: self.configuration.batchSize) {
            let batch = plan.toPurge[start..<min(start + self.configuration.batchSize, plan.toPurge.count)]
            let targets = batch.flatMap { certificate in Self.files(of: certificate).map { (certificate, $0) } }
            let itemIDs = try await self.repository.record(
                targets.map {
                    PurgeRepository.NewItem(
                        certificateID: $0.0.id,
                        filePath: $0.1,
                        fileBytes: $0.0.documentBytes,
                        outcome: .intent
                    )
                },
                runID: runID,
                on: connection
            )
            var settlements: [PurgeRepository.Settlement] = []
            for ((certificate, path), itemID) in zip(targets, itemIDs) {
                let (outcome, message) = await self.delete(
                    path, of: certificate, interruptedRun: interruptedRuns[certificate.id])
                if outcome == .deleted {
                    deletions += 1
                    afterDeletion(deletions)
                }
                settlements.append(
                    PurgeRepository.Settlement(
                        itemID: itemID,
                        certificateID: certificate.id,
                        filePath: path,
                        outcome: outcome,
                        message: message,
                        clearsLink: outcome == .deleted || outcome == .missingFile
                    )
                )
            }
            let outcomes = try await self.repository.settle(settlements, on: connection)
            for ((certificate, path), itemID) in zip(targets, itemIDs) {
                guard let settled = outcomes[itemID] else { continue }
                let result = PurgeResult(
                    certificate: certificate,
                    outcome: settled.outcome,
                    filePath: path,
                    message: settled.message
                )
                self.log(result, runID: runID)
                report(result)
            }
        }
    }

    /// What is at a certificate's path, read through the store (which refuses any path that would leave its root).
    enum Inspection {
        /// The certificate's own file: its SHA-256 is the one recorded when it was issued.
        case present
        case missing
        /// Not to be deleted: the path is refused, the bytes are another file's, or reading failed.
        case refused(PurgeItemRecord.Outcome, String)
    }

    /// Reads the file and checks that it is the certificate's own, so a row pointed at another certificate's
    /// file (inside the root) cannot make the purge delete it.
    func inspect(_ path: String, of certificate: CertificateRecord) async -> Inspection {
        let bytes: [UInt8]
        do {
            bytes = try await self.store.read(path)
        } catch let error as StorageError where error.code == .notFound {
            return .missing
        } catch {
            let (outcome, message) = Self.refusal(error)
            return .refused(outcome, message)
        }
        if let recorded = certificate.documentSHA256 {
            let actual = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            guard actual == recorded.lowercased() else {
                return .refused(
                    .refusedHashMismatch,
                    "the file's SHA-256 is not the one recorded for this certificate, so it may be another "
                        + "certificate's file; nothing was deleted and the row is unchanged: check who changed it"
                )
            }
        }
        return .present
    }

    /// Checks the file is the certificate's own, then deletes it through the store.
    private func delete(
        _ path: String,
        of certificate: CertificateRecord,
        interruptedRun: Int64?
    ) async -> (PurgeItemRecord.Outcome, String?) {
        switch await self.inspect(path, of: certificate) {
        case .refused(let outcome, let message):
            return (outcome, message)
        case .present:
            do {
                if try await self.store.delete(path) { return (.deleted, nil) }
            } catch {
                return Self.refusal(error)
            }
        case .missing:
            break
        }
        if let interruptedRun {
            return (.missingFile, "already deleted by interrupted run \(interruptedRun); link cleared")
        }
        return (.missingFile, "the file was already gone; link cleared")
    }

    /// The outcome for a file the store would not or could not touch; the row keeps its link.
    private static func refusal(_ error: any Error) -> (PurgeItemRecord.Outcome, String) {
        guard let error = error as? StorageError else {
            return (.error, "\(error); the link was kept, run the purge again")
        }
        switch error.code {
        case .pathOutsideRoot:
            return (
                .refusedOutsideRoot,
                "the row's path leaves the storage root (\(error.message)); nothing was deleted and the row is "
                    + "unchanged: check who changed it"
            )
        case .invalidPath:
            return (.error, "the store does not accept the row's path (\(error.message)); the link was kept")
        case .notFound, .ioFailed:
            return (.error, "\(error.message); the link was kept, run the purge again")
        }
    }

    private static func pendingResult(_ certificate: CertificateRecord) -> PurgeResult {
        PurgeResult(
            certificate: certificate,
            outcome: .pending,
            filePath: certificate.documentPath,
            message: "still being rendered, so not purged; run the purge again once attest worker has issued it"
        )
    }

    private func log(_ result: PurgeResult, runID: Int64) {
        let metadata: Logger.Metadata = [
            "purge.run.id": "\(runID)", "certificate.id": "\(result.certificate.id)",
            "purge.outcome": "\(result.outcome.rawValue)",
        ]
        switch result.outcome {
        case .refusedOutsideRoot:
            self.logger.warning("Refused to purge a document path outside the storage root", metadata: metadata)
        case .refusedHashMismatch:
            self.logger.warning("Refused to purge a file that is not the certificate's own", metadata: metadata)
        case .error:
            self.logger.warning(
                "Could not purge a certificate document",
                metadata: metadata.merging(["error": "\(result.message ?? "")"]) { $1 }
            )
        default:
            self.logger.debug("Purged a certificate document", metadata: metadata)
        }
    }
}
