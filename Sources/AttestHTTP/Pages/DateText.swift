// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Dates as the page writes them: `4 May 2026` (with no-break spaces), in UTC, the same whatever the server's
/// locale.
enum DateText {
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// `YYYY-MM-DD` written out; the input unchanged if it is not such a date.
    static func long(isoDate: String) -> String {
        let parts = isoDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return isoDate }
        return "\(parts[2])\u{A0}\(self.months[parts[1] - 1])\u{A0}\(parts[0])"
    }

    /// A moment's UTC date written out.
    static func long(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let components = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = components.year, let month = components.month, let day = components.day else { return "" }
        return "\(day)\u{A0}\(self.months[month - 1])\u{A0}\(year)"
    }
}
