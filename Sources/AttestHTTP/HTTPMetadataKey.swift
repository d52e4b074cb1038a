// Attest — certificates and documents you can verify. Apache-2.0.

/// The metadata keys `AttestHTTP` logs with (STYLE.md §5).
enum HTTPMetadataKey {
    static let method = "http.request.method"
    static let route = "http.route"
    static let status = "http.response.status_code"
    static let bytes = "http.response.body.size"
    static let durationMilliseconds = "http.server.duration_ms"
    static let errorCode = "error.code"
    static let error = "error.description"
    static let certificateID = "certificate.id"
    static let completions = "completions.count"
}
