// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Foundation

extension CalendarDate {
    /// The UTC day of `date`, as PostgreSQL `date` columns decode (midnight UTC).
    init(utcMidnight date: Date) {
        self.init(daysSinceUnixEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
