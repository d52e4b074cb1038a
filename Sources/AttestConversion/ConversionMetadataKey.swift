// Attest — certificates and documents you can verify. Apache-2.0.

/// Logger metadata keys used by `AttestConversion`.
enum ConversionMetadataKey {
    static let hostIndex = "conversion.host.index"
    static let hostPID = "conversion.host.pid"
    static let hostConversions = "conversion.host.conversions"
    static let hostResidentBytes = "conversion.host.rss_bytes"
    static let hostLog = "conversion.host.log"
    static let reason = "conversion.reason"
    static let format = "conversion.format"
    static let pages = "conversion.pages"
    static let durationSeconds = "conversion.duration_seconds"
    static let errorCode = "conversion.error.code"
}
