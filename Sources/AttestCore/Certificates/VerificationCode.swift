// Attest — certificates and documents you can verify. Apache-2.0.

/// The code printed on a certificate and in its QR URL: 26 characters of Crockford's base-32 alphabet
/// (no I, L, O or U), 130 random bits from the system's CSPRNG. Case-insensitive; stored in upper case.
public struct VerificationCode: Sendable, Hashable, CustomStringConvertible {
    /// The 32 symbols: digits and upper-case letters without the lookalikes I, L, O and U.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// 26 symbols × 5 bits = 130 bits.
    public static let length = 26

    /// The canonical (upper-case) text.
    public let text: String

    /// A new random code.
    public static func random() -> VerificationCode {
        var generator = SystemRandomNumberGenerator()
        return self.random(using: &generator)
    }

    /// A new code drawn from `generator`, which must be cryptographically secure outside tests.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> VerificationCode {
        let symbols = (0..<self.length).map { _ in self.alphabet[Int(generator.next(upperBound: UInt32(32)))] }
        return VerificationCode(canonical: String(decoding: symbols, as: UTF8.self))
    }

    private init(canonical: String) {
        self.text = canonical
    }

    /// Parses user input case-insensitively; nil for anything that is not a well-formed code.
    public init?(parsing input: some StringProtocol) {
        let upper = input.uppercased()
        guard upper.utf8.count == Self.length, upper.utf8.allSatisfy({ Self.alphabet.contains($0) }) else {
            return nil
        }
        self.text = upper
    }

    public var description: String { self.text }
}
