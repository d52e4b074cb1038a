// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import AttestHTTP
import AttestRendering
import NIOPosix

/// Renders program-record transcripts off Swift's cooperative pool, with the fonts loaded once for every render.
struct TranscriptPrinter: TranscriptPrinting {
    private let fonts: FontSet

    /// Loads the fonts from `fontsDirectory` (`ATTEST_FONTS_DIR`); throws when they are missing.
    init(fontsDirectory: String) throws {
        self.fonts = try FontSet(directory: fontsDirectory)
    }

    /// The record as a PDF whose QR code opens `recordURL` (none when the record is not shared).
    func pdf(_ record: ProgramRecord, recordURL: String?) async throws -> [UInt8] {
        let fonts = self.fonts
        return try await NIOThreadPool.singleton.runIfActive {
            try TranscriptRenderer(fonts: fonts).render(record, recordURL: recordURL)
        }
    }
}
