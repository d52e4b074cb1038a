// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Testing

@Suite("verification codes")
struct VerificationCodeTests {
    @Test("codes are 26 symbols without lookalikes, and 10,000 of them are all different")
    func randomCodes() {
        let codes = (0..<10_000).map { _ in VerificationCode.random().text }
        #expect(Set(codes).count == codes.count)
        for code in codes.prefix(100) {
            #expect(code.count == 26)
            #expect(!code.contains { "ILOU".contains($0) || $0.isLowercase })
        }
    }

    @Test("parsing is case-insensitive and rejects anything malformed")
    func parsing() {
        let code = VerificationCode.random()
        #expect(VerificationCode(parsing: code.text.lowercased()) == code)
        #expect(VerificationCode(parsing: code.text) == code)
        #expect(VerificationCode(parsing: String(code.text.dropLast())) == nil)
        #expect(VerificationCode(parsing: code.text + "0") == nil)
        #expect(VerificationCode(parsing: "O" + code.text.dropFirst()) == nil)
        #expect(VerificationCode(parsing: "../" + code.text.dropFirst(3)) == nil)
        #expect(VerificationCode(parsing: "") == nil)
    }
}

@Suite("calendar date conversions")
struct CalendarDateConversionTests {
    @Test("days since the epoch round-trip through dates, across leap years and centuries")
    func daysRoundTrip() throws {
        for days in stride(from: -800_000, through: 2_900_000, by: 997) {
            let date = CalendarDate(daysSinceUnixEpoch: days)
            #expect(date.daysSinceUnixEpoch == days)
        }
        #expect(CalendarDate(daysSinceUnixEpoch: 0).description == "1970-01-01")
        #expect(CalendarDate(daysSinceUnixEpoch: 11_016).description == "2000-02-29")
    }

    @Test("ISO dates parse, and impossible ones do not")
    func isoDates() {
        #expect(CalendarDate(isoDate: "2026-05-04")?.description == "2026-05-04")
        #expect(CalendarDate(isoDate: "2026-02-30") == nil)
        #expect(CalendarDate(isoDate: "2026-5-4") == nil)
        #expect(CalendarDate(isoDate: "") == nil)
    }
}
