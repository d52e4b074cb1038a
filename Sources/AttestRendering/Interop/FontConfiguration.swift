// Attest — certificates and documents you can verify. Apache-2.0.

internal import CPango

/// Owns a private fontconfig configuration (`FcConfig`) loaded from Attest's `fonts.conf`, so rendering uses only
/// the fonts that file names and never the machine's or the user's fontconfig setup.
///
/// `@unchecked Sendable` handle box. Invariant: the configuration is fully built in `init` and never changed
/// afterwards; fontconfig's query functions are thread-safe, so font maps on several threads may share it.
final class FontConfiguration: @unchecked Sendable {
    let pointer: OpaquePointer
    /// Number of font faces the configuration accepted.
    let fontCount: Int

    init(configFile path: String) throws {
        guard let config = FcConfigCreate() else {
            throw RenderError(.fontsUnavailable, "fontconfig could not create a configuration (out of memory)")
        }
        guard FcConfigParseAndLoad(config, path, 1) != 0 else {
            FcConfigDestroy(config)
            throw RenderError(
                .fontsUnavailable,
                "fontconfig could not load the font configuration fonts.conf: check that the fonts directory "
                    + "(ATTEST_FONTS_DIR or --fonts-dir) holds Attest's fonts.conf"
            )
        }
        guard FcConfigBuildFonts(config) != 0 else {
            FcConfigDestroy(config)
            throw RenderError(.fontsUnavailable, "fontconfig could not build the font list (out of memory)")
        }
        let count = Int(FcConfigGetFonts(config, FcSetSystem)?.pointee.nfont ?? 0)
        guard count > 0 else {
            FcConfigDestroy(config)
            throw RenderError(
                .fontsUnavailable,
                "fonts.conf names no installed font: install the font packages with scripts/bootstrap"
            )
        }
        self.pointer = config
        self.fontCount = count
    }

    deinit {
        FcConfigDestroy(self.pointer)
    }

    /// The family names of every accepted font face, sorted and without duplicates.
    var familyNames: [String] {
        guard let set = FcConfigGetFonts(self.pointer, FcSetSystem) else { return [] }
        var names = Set<String>()
        for index in 0..<Int(set.pointee.nfont) {
            guard let pattern = set.pointee.fonts[index] else { continue }
            var value: UnsafeMutablePointer<FcChar8>?
            if FcPatternGetString(pattern, FC_FAMILY, 0, &value) == FcResultMatch, let value {
                names.insert(String(cString: value))
            }
        }
        return names.sorted()
    }
}
