// Attest — certificates and documents you can verify. Apache-2.0.

import AttestHTTP
import Logging

extension VerificationServerFactory {
    /// The records switch, and transcripts rendered with Attest's fonts. Without the fonts the server still
    /// starts (verification needs none) and `/r/{token}.pdf` answers 503; the warning says what to fix.
    static func records(settings: AttestSettings, logger: Logger) -> RecordsSettings {
        guard settings.recordsEnabled else { return RecordsSettings(enabled: false) }
        do {
            return RecordsSettings(
                enabled: true,
                transcripts: try TranscriptPrinter(fontsDirectory: settings.fontsDirectory)
            )
        } catch {
            logger.warning(
                "Program record transcripts are unavailable: fonts could not be loaded",
                metadata: ["error": "\(error)"]
            )
            return RecordsSettings(enabled: true)
        }
    }
}
