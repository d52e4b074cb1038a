// Attest — certificates and documents you can verify. Apache-2.0.

/// The answer of `POST /api/records/share`: the public link and its token.
struct ShareLink: Encodable {
    let url: String
    let token: String
}
