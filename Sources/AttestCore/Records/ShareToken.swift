// Attest — certificates and documents you can verify. Apache-2.0.

/// The secret in a program record's share link `/r/{token}`: 32 characters of the verification code's alphabet
/// (Crockford's base 32, no I, L, O or U), 160 random bits from the system's CSPRNG, so that links cannot be
/// guessed. Case-insensitive; stored in upper case.
public struct ShareToken: Sendable, Hashable, CustomStringConvertible {
    /// 32 symbols × 5 bits = 160 bits.
    public static let length = 32

    /// The canonical (upper-case) text.
    public let text: String

    /// A new random token.
    public static func random() -> ShareToken {
        var generator = SystemRandomNumberGenerator()
        return self.random(using: &generator)
    }

    /// A new token drawn from `generator`, which must be cryptographically secure outside tests.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ShareToken {
        let alphabet = VerificationCode.alphabet
        let symbols = (0..<self.length).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return ShareToken(canonical: String(decoding: symbols, as: UTF8.self))
    }

    private init(canonical: String) {
        self.text = canonical
    }

    /// Parses user input case-insensitively; nil for anything that is not a well-formed token.
    public init?(parsing input: some StringProtocol) {
        guard input.utf8.count == Self.length else { return nil }
        let upper = input.uppercased()
        guard upper.utf8.count == Self.length, upper.utf8.allSatisfy({ VerificationCode.alphabet.contains($0) }) else {
            return nil
        }
        self.text = upper
    }

    public var description: String { self.text }
}
