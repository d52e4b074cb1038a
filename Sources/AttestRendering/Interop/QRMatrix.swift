// Attest — certificates and documents you can verify. Apache-2.0.

internal import CQREncode

#if canImport(Glibc)
    import Glibc
#endif

/// The dark and light modules of one QR code symbol, copied out of libqrencode.
package struct QRMatrix: Sendable, Equatable {
    /// Modules per side, without the quiet zone.
    package let size: Int
    /// Row-major, `true` for a dark module.
    package let modules: [Bool]

    package init(size: Int, modules: [Bool]) {
        self.size = size
        self.modules = modules
    }

    /// Encodes `text` as 8-bit data (case kept) at `level`, choosing the smallest version that fits.
    package init(encoding text: String, level: QRLevel) throws {
        let ecLevel: QRecLevel =
            switch level {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        let symbol = try QRSymbol(text: text, level: ecLevel)
        self = symbol.matrix
    }

    package func isDark(row: Int, column: Int) -> Bool {
        self.modules[row * self.size + column]
    }

    /// Horizontal runs of dark modules, one per (row, first column, length); a QR drawn from runs is a
    /// fraction of the size and time of one drawn module by module.
    package var darkRuns: [(row: Int, column: Int, length: Int)] {
        var runs: [(row: Int, column: Int, length: Int)] = []
        for row in 0..<self.size {
            var column = 0
            while column < self.size {
                guard self.isDark(row: row, column: column) else {
                    column += 1
                    continue
                }
                let start = column
                while column < self.size, self.isDark(row: row, column: column) { column += 1 }
                runs.append((row, start, column - start))
            }
        }
        return runs
    }
}

/// Owns one `QRcode` from libqrencode for as long as its modules are copied out.
private final class QRSymbol {
    let pointer: UnsafeMutablePointer<QRcode>

    init(text: String, level: QRecLevel) throws {
        errno = 0
        guard let pointer = QRcode_encodeString(text, 0, level, QR_MODE_8, 1) else {
            let code = errno
            let reason = code == ERANGE ? "the URL is too long for a QR code" : "errno \(code)"
            throw RenderError(.qrEncodingFailed, "QR encoding of the verification URL failed: \(reason)")
        }
        self.pointer = pointer
    }

    deinit {
        QRcode_free(self.pointer)
    }

    var matrix: QRMatrix {
        let size = Int(self.pointer.pointee.width)
        let data = self.pointer.pointee.data!
        // Bit 0 of each byte is the module's colour (1 = dark); the other bits describe its role.
        let modules = (0..<size * size).map { data[$0] & 1 == 1 }
        return QRMatrix(size: size, modules: modules)
    }
}
