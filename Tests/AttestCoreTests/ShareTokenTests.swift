// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Testing

@Suite("share tokens")
struct ShareTokenTests {
    @Test("tokens are 32 symbols (160 bits) without lookalikes, and 10,000 of them are all different")
    func randomTokens() {
        let tokens = (0..<10_000).map { _ in ShareToken.random().text }
        #expect(Set(tokens).count == tokens.count)
        for token in tokens.prefix(100) {
            #expect(token.count == 32)
            #expect(!token.contains { "ILOU".contains($0) || $0.isLowercase })
        }
        // Every symbol of the alphabet turns up: the draw is not biased towards part of it.
        #expect(Set(tokens.prefix(200).joined()).count == 32)
    }

    @Test("parsing is case-insensitive and rejects anything malformed, including verification codes")
    func parsing() {
        let token = ShareToken.random()
        #expect(ShareToken(parsing: token.text.lowercased()) == token)
        #expect(ShareToken(parsing: token.text) == token)
        #expect(ShareToken(parsing: String(token.text.dropLast())) == nil)
        #expect(ShareToken(parsing: token.text + "0") == nil)
        #expect(ShareToken(parsing: "U" + token.text.dropFirst()) == nil)
        #expect(ShareToken(parsing: "../" + token.text.dropFirst(3)) == nil)
        #expect(ShareToken(parsing: VerificationCode.random().text) == nil)
        #expect(ShareToken(parsing: "") == nil)
        #expect(ShareToken(parsing: String(repeating: "é", count: 16)) == nil)
    }
}
