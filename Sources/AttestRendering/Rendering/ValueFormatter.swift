// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Foundation

/// Formats dates and scores for a locale, keeping one format style per locale.
final class ValueFormatter {
    private var dateStyles: [String: Date.FormatStyle] = [:]
    private var percentStyles: [String: FloatingPointFormatStyle<Double>.Percent] = [:]
    /// The last few results: certificates of one batch share their date and often their score.
    private var formattedDates: [String: String] = [:]
    private var formattedScores: [String: String] = [:]

    /// The issue date in the locale's long style ("1 March 2026", "1 mars 2026", "2026年3月1日").
    func date(_ date: CalendarDate, locale identifier: String) -> String {
        let key = "\(date) \(identifier)"
        if let cached = self.formattedDates[key] { return cached }
        if self.formattedDates.count > 256 { self.formattedDates.removeAll(keepingCapacity: true) }
        let style: Date.FormatStyle
        if let cached = self.dateStyles[identifier] {
            style = cached
        } else {
            let locale = Locale(identifier: identifier)
            var calendar = locale.calendar
            calendar.timeZone = .gmt
            style = Date.FormatStyle(date: .long, time: .omitted, locale: locale, calendar: calendar, timeZone: .gmt)
            self.dateStyles[identifier] = style
        }
        // Noon UTC, so that no calendar's day boundary can move the date.
        let instant = Date(timeIntervalSince1970: Double(date.daysSinceUnixEpoch) * 86_400 + 43_200)
        let text = style.format(instant)
        self.formattedDates[key] = text
        return text
    }

    /// A score from 0 to 1 as a whole percentage in the locale ("92%", "92 %", "٩٢٪").
    func score(_ score: Double, locale identifier: String) -> String {
        let key = "\(score) \(identifier)"
        if let cached = self.formattedScores[key] { return cached }
        if self.formattedScores.count > 256 { self.formattedScores.removeAll(keepingCapacity: true) }
        let style: FloatingPointFormatStyle<Double>.Percent
        if let cached = self.percentStyles[identifier] {
            style = cached
        } else {
            style = FloatingPointFormatStyle<Double>.Percent(locale: Locale(identifier: identifier)).precision(
                .fractionLength(0)
            )
            self.percentStyles[identifier] = style
        }
        let text = style.format(score)
        self.formattedScores[key] = text
        return text
    }
}
