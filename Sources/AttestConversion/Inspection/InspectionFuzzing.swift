// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Entry points for the libFuzzer targets under `Fuzz/`: each hands arbitrary bytes to one parser of untrusted input
/// and throws what the parser throws. A thrown `ConversionError` is a correct answer; a trap or a huge allocation is
/// a finding.
package enum InspectionFuzzing {
    /// Limits of the whole-deck target: the pool's defaults, so the fuzzer meets the checks production makes (the
    /// directory and executable are never used).
    private static let deckLimits = ConversionPool.Configuration(
        workDirectory: URL(filePath: "/nonexistent"),
        hostExecutable: "attest"
    ).inspectorLimits

    /// Reads the central directory, then inflates every member no larger than the inspector would read.
    package static func zipArchive(_ bytes: [UInt8]) throws {
        let archive = try ZipArchive(bytes: bytes)
        for member in archive.members where member.uncompressedSize <= DeckInspector.maxInspectedPartBytes {
            _ = try archive.contents(of: member)
        }
    }

    /// Reads the header, tables and directory, then every stream.
    package static func compoundFile(_ bytes: [UInt8]) throws {
        let file = try CompoundFile(bytes: bytes)
        for entry in file.entries {
            _ = try file.stream(named: entry.name)
        }
    }

    /// Reads the slide list of an OLE .ppt.
    package static func powerPointBinary(_ bytes: [UInt8]) throws {
        _ = try PowerPointBinary(file: try CompoundFile(bytes: bytes))
    }

    /// Counts the pages of a PDF.
    package static func pdf(_ bytes: [UInt8]) throws {
        _ = try PDFInspector.pageCount(of: bytes)
    }

    /// The whole pre-flight check, as the pool runs it on an input.
    package static func deck(_ bytes: [UInt8]) throws {
        _ = try DeckInspector(limits: Self.deckLimits).inspect(bytes: bytes)
    }
}
