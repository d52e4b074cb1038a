// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Foundation
import Testing

@Suite("RFC 3339 timestamps and calendar dates")
struct TimestampTests {
    @Test(arguments: [
        ("2026-03-01T09:30:00Z", 1_772_357_400.0, "2026-03-01"),
        ("2026-03-01t09:30:00z", 1_772_357_400.0, "2026-03-01"),
        ("2026-03-01 09:30:00Z", 1_772_357_400.0, "2026-03-01"),
        ("2026-03-01T09:30:00.250Z", 1_772_357_400.25, "2026-03-01"),
        ("2026-03-01T01:00:00+02:00", 1_772_319_600.0, "2026-03-01"),
        ("2026-02-28T23:00:00-05:30", 1_772_339_400.0, "2026-02-28"),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0, "2024-02-29"),
        ("1970-01-01T00:00:00Z", 0.0, "1970-01-01"),
    ])
    func parsesInstantAndLocalDay(text: String, seconds: Double, day: String) throws {
        let timestamp = try Timestamp(rfc3339: text)
        #expect(abs(timestamp.date.timeIntervalSince1970 - seconds) < 1e-6)
        #expect(timestamp.localDate.description == day)
    }

    @Test func agreesWithFoundationOnManyInstants() throws {
        let formatter = ISO8601DateFormatter()
        for step in 0..<200 {
            let seconds = Double(step) * 7_654_321 - 400_000_000
            let text = formatter.string(from: Date(timeIntervalSince1970: seconds))
            #expect(try Timestamp(rfc3339: text).date.timeIntervalSince1970 == seconds, "\(text)")
        }
    }

    @Test(arguments: [
        "", "2026-03-01", "2026-3-01T09:30:00Z", "2026-03-01T09:30Z", "2026-03-01T09:30:00", "2026-03-01T09:30:00+0200",
        "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z",
        "2026-03-01T09:30:00.Z", "2026-03-01T09:30:00Z trailing", "２０２６-03-01T09:30:00Z",
    ])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(throws: CoreError.self) { try Timestamp(rfc3339: text) }
    }

    @Test func canonicalTextRoundTrips() throws {
        for text in ["2026-03-01T09:30:00Z", "2026-03-01T09:30:00.5+05:30", "1999-12-31T23:59:60-08:00"] {
            #expect(try Timestamp(rfc3339: text).description == text)
        }
    }

    @Test func calendarDatesKnowTheirMonths() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2026, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2026, month: 1, day: 1)!.daysSinceUnixEpoch == 20_454)
    }
}
