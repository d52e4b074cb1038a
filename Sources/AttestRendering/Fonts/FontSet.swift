// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Attest's fonts: the private fontconfig configuration in `<fonts directory>/fonts.conf`.
///
/// Load it once per process and share it between renderers (it is immutable and thread-safe); each renderer
/// builds its own Pango font map on it.
package final class FontSet: Sendable {
    let configuration: FontConfiguration
    /// The directory the set was loaded from.
    package let directory: String

    /// Loads `fonts.conf` from `directory` (`ATTEST_FONTS_DIR`, by default `fonts`).
    package init(directory: String) throws {
        let file = directory + "/fonts.conf"
        guard FileManager.default.fileExists(atPath: file) else {
            throw RenderError(
                .fontsUnavailable,
                "\(file) does not exist: point ATTEST_FONTS_DIR or --fonts-dir at Attest's fonts directory"
            )
        }
        // fontconfig resolves relative <dir> and <include> against the file's own folder only with an absolute path.
        let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
        self.configuration = try FontConfiguration(configFile: absolute)
        self.directory = directory
        let families = Set(self.configuration.familyNames)
        let missing = Self.primaryFamilies.filter { !families.contains($0) }
        guard missing.isEmpty else {
            throw RenderError(
                .fontsUnavailable,
                "the fonts directory lacks \(missing.joined(separator: ", ")): run scripts/bootstrap "
                    + "(or scripts/prepare-fonts), which writes \(directory)/prepared"
            )
        }
    }

    /// The families `fonts.conf`'s aliases start with (Attest Serif, Display, Sans, Mono); without them every
    /// certificate would silently fall back to another script's font.
    package static let primaryFamilies = ["Noto Serif", "Noto Serif Display", "Noto Sans", "Noto Sans Mono"]

    /// Family names of every font the configuration accepted.
    package var familyNames: [String] { self.configuration.familyNames }

    /// How many font faces the configuration accepted.
    package var faceCount: Int { self.configuration.fontCount }
}
