// Attest — certificates and documents you can verify. Apache-2.0.

import Crypto
import Hummingbird

/// Checks `Authorization: Bearer` against the configured token in constant time.
enum BearerToken {
    /// Throws `apiDisabled` when no token is configured and `unauthorized` unless the request carries it.
    static func authorize(_ request: Request, token: String?) throws {
        guard let token else {
            throw ServerError(
                .apiDisabled, "The API is disabled on this server: its operator has not set ATTEST_API_TOKEN.")
        }
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer ", self.equal(String(header.dropFirst(7)), token)
        else {
            throw ServerError(.unauthorized, "Send Authorization: Bearer with this server's API token.")
        }
    }

    /// Compares the SHA-256 digests byte by byte without stopping early, so timing reveals nothing about the
    /// token (not even its length).
    static func equal(_ presented: String, _ expected: String) -> Bool {
        let left = Array(SHA256.hash(data: Array(presented.utf8)))
        let right = Array(SHA256.hash(data: Array(expected.utf8)))
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
