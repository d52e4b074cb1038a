// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore

/// Renders a program record as a PDF transcript. AttestApp provides it (with the renderer and fonts), so that
/// AttestHTTP does not depend on AttestRendering.
package protocol TranscriptPrinting: Sendable {
    /// The record as a PDF whose QR code opens `recordURL`.
    func pdf(_ record: ProgramRecord, recordURL: String?) async throws -> [UInt8]
}
