// Attest — certificates and documents you can verify. Apache-2.0.

/// A request from the pool to its host: convert one file. One JSON object per line on the host's fd 3.
struct HostRequest: Codable, Sendable {
    var id: Int
    /// Absolute path of the checked input copy in the job directory.
    var input: String
    /// Absolute path the PDF goes to, in the same job directory.
    var output: String
}

/// A line from a host on its fd 4: `ready` once after start, then one `answer` per request.
struct HostMessage: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        case ready
        case answer
    }

    var kind: Kind
    var id: Int?
    var ok: Bool
    /// What failed, as a `ConversionError.Code` raw value.
    var code: String?
    var message: String?
    /// Slides LibreOffice loaded.
    var parts: Int?
    /// Load + export time inside LibreOffice.
    var officeSeconds: Double?
    var residentBytes: Int?
    var processID: Int32
    /// Whether the host runs in its own network namespace.
    var networkIsolated: Bool?
}
