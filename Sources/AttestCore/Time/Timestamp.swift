// Attest — certificates and documents you can verify. Apache-2.0.

package import Foundation

/// An RFC 3339 timestamp that keeps its UTC offset, so the local calendar day it names is known.
package struct Timestamp: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The calendar day in the timestamp's own offset (what a certificate prints as the date).
    package var localDate: CalendarDate
    package var hour: Int
    package var minute: Int
    package var second: Int
    /// Fractional seconds in nanoseconds.
    package var nanosecond: Int
    /// Offset from UTC in seconds (`Z` is 0).
    package var utcOffsetSeconds: Int

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space separator are accepted (RFC 3339 §5.6).
    package init(rfc3339 text: String) throws {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) throws -> Int {
            guard index + width <= bytes.count else { throw Self.invalid(text, "it is too short") }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                    throw Self.invalid(text, "expected a digit at position \(index + 1)")
                }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }
        func expect(_ allowed: String) throws {
            guard index < bytes.count, allowed.utf8.contains(bytes[index]) else {
                throw Self.invalid(text, "expected \(allowed.first.map { "\"\($0)\"" } ?? "") at position \(index + 1)")
            }
            index += 1
        }
        let year = try number(4)
        try expect("-")
        let month = try number(2)
        try expect("-")
        let day = try number(2)
        try expect("Tt ")
        let hour = try number(2)
        try expect(":")
        let minute = try number(2)
        try expect(":")
        let second = try number(2)
        var nanosecond = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                if digits < 9 { nanosecond = nanosecond * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw Self.invalid(text, "a fraction of a second needs digits") }
            for _ in digits..<max(digits, 9) { nanosecond *= 10 }
        }
        guard index < bytes.count else { throw Self.invalid(text, "it has no UTC offset (add Z or ±HH:MM)") }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let offsetHours = try number(2)
            try expect(":")
            let offsetMinutes = try number(2)
            guard offsetHours <= 23, offsetMinutes <= 59 else {
                throw Self.invalid(text, "the UTC offset is out of range")
            }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            throw Self.invalid(text, "expected Z or ±HH:MM at position \(index + 1)")
        }
        guard index == bytes.count else { throw Self.invalid(text, "unexpected text after the UTC offset") }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            throw Self.invalid(
                text,
                "\(CalendarDate.pad(year, 4))-\(CalendarDate.pad(month, 2))-\(CalendarDate.pad(day, 2)) is not a day"
            )
        }
        // 60 is a leap second (RFC 3339 allows it).
        guard hour <= 23, minute <= 59, second <= 60 else {
            throw Self.invalid(text, "the time of day is out of range")
        }
        self.localDate = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.utcOffsetSeconds = offset
    }

    /// The instant, with a leap second folded into the next second.
    package var date: Date {
        let days = self.localDate.daysSinceUnixEpoch
        let seconds = days * 86_400 + self.hour * 3600 + self.minute * 60 + self.second - self.utcOffsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(self.nanosecond) / 1e9)
    }

    /// The canonical RFC 3339 text: fraction only when non-zero (trailing zeros dropped), `Z` for UTC.
    package var description: String {
        var text =
            self.localDate.description + "T" + CalendarDate.pad(self.hour, 2) + ":"
            + CalendarDate.pad(self.minute, 2) + ":" + CalendarDate.pad(self.second, 2)
        if self.nanosecond != 0 {
            var fraction = CalendarDate.pad(self.nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        if self.utcOffsetSeconds == 0 {
            text += "Z"
        } else {
            let magnitude = abs(self.utcOffsetSeconds)
            text +=
                (self.utcOffsetSeconds < 0 ? "-" : "+") + CalendarDate.pad(magnitude / 3600, 2) + ":"
                + CalendarDate.pad(magnitude % 3600 / 60, 2)
        }
        return text
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(rfc3339: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\(error)", underlyingError: error)
            )
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }

    private static func invalid(_ text: String, _ reason: String) -> CoreError {
        CoreError(.invalidTimestamp, "not an RFC 3339 timestamp such as 2026-03-01T09:30:00Z: \(reason)")
    }
}
