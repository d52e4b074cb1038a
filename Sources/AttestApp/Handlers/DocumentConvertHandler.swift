// Attest — certificates and documents you can verify. Apache-2.0.

import AttestConversion
import AttestDatabase
import AttestFiles
import AttestPQ
import AttestQueue
import Foundation
import Logging

/// `document.convert`: turns a queued deck in storage into a PDF in storage, through the warm LibreOffice pool.
///
/// Retry-safe: the PDF goes to a path derived from the conversion id (an atomic replace), and the row is marked
/// succeeded only after the file is stored. A host problem (crash, failed start) is retried with backoff; a
/// property of the document (corrupt, encrypted, zip bomb, timeout, no slides) fails the conversion for good,
/// with the reason stored on the row and on the job.
struct DocumentConvertHandler: JobHandler {
    static let kind = "document.convert"
    /// The queue conversions go to, so a worker runs them under their own concurrency limit.
    static let queue = "conversions"

    /// `{"conversion_id": "…"}`, as `attest convert --enqueue` enqueues it.
    struct Payload: Codable {
        var conversion_id: UUID
    }

    let pool: PGPool
    let store: any DocumentStore
    let converter: ConversionPool

    func run(_ context: JobContext) async throws {
        let payload = try context.decodePayload(as: Payload.self)
        let conversions = ConversionRepository()
        guard let conversion = try await self.pool.withConnection({ try await conversions.find(id: payload.conversion_id, on: $0) })
        else {
            throw JobError.permanent("conversion \(payload.conversion_id) does not exist", kind: "unknown_conversion")
        }
        guard conversion.state == .pending else {
            context.logger.debug("Conversion already finished", metadata: ["conversion.id": "\(conversion.id)"])
            return
        }
        let source: [UInt8]
        do {
            source = try await self.store.read(conversion.sourcePath)
        } catch let error as StorageError where error.code == .notFound {
            try await self.fail(conversion, "its source file \(conversion.sourcePath) is missing from storage")
        }

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("attest-convert-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input")
        let output = directory.appendingPathComponent("output.pdf")
        try Data(source).write(to: input)
        try context.checkCancellation()

        let result: ConversionResult
        do {
            result = try await self.converter.convert(input: input, output: output)
        } catch let error as ConversionError where !error.isTransient {
            try await self.fail(conversion, error.description)
        }
        let pdf = [UInt8](try Data(contentsOf: output))
        let path = Self.outputPath(for: conversion.id)
        let stored = try await self.store.write(pdf, to: path)
        let recorded = ConversionRepository.Output(
            path: path,
            sha256: stored.sha256,
            bytes: stored.byteCount,
            format: result.format.rawValue,
            pages: result.pages,
            slides: result.slides,
            durationMilliseconds: result.duration.secondsValue * 1000
        )
        _ = try await self.pool.withConnection { try await conversions.markSucceeded(id: conversion.id, output: recorded, on: $0) }
    }

    /// Stores why the conversion can never succeed and discards the job with the same reason.
    private func fail(_ conversion: ConversionRecord, _ reason: String) async throws -> Never {
        _ = try await self.pool.withConnection { try await ConversionRepository().markFailed(id: conversion.id, error: reason, on: $0) }
        throw JobError.permanent("\(conversion.sourceName): \(reason)", kind: "conversion_failed")
    }

    /// Where a conversion's source deck lives in storage.
    static func sourcePath(for id: UUID) -> String {
        "conversions/\(Self.folder(id))/source"
    }

    /// Where a conversion's PDF lives in storage.
    static func outputPath(for id: UUID) -> String {
        "conversions/\(Self.folder(id))/output.pdf"
    }

    private static func folder(_ id: UUID) -> String {
        let name = id.uuidString.lowercased()
        return "\(name.prefix(2))/\(name)"
    }
}
