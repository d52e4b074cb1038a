// Attest — certificates and documents you can verify. Apache-2.0.

/// How the program-record routes behave on this server: the per-site switch and the transcript renderer.
package struct RecordsSettings: Sendable {
    /// `ATTEST_RECORDS_ENABLED`: when false, `/r/…` answers 404 and the records API refuses. Defaults to true.
    package var enabled: Bool
    /// Renders `/r/{token}.pdf`; while nil that route answers 503. Defaults to nil.
    package var transcripts: (any TranscriptPrinting)?

    package init(enabled: Bool = true, transcripts: (any TranscriptPrinting)? = nil) {
        self.enabled = enabled
        self.transcripts = transcripts
    }
}
