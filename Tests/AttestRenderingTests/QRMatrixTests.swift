// Attest — certificates and documents you can verify. Apache-2.0.

import AttestRendering
import Testing

@Suite("QR matrices")
struct QRMatrixTests {
    static let url = "https://verify.example.org/v/k7m2q9x4w8r3t6y5p2n8v4c7b3"

    @Test(arguments: QRLevel.allCases)
    func runsCoverExactlyTheDarkModules(level: QRLevel) throws {
        let matrix = try QRMatrix(encoding: Self.url, level: level)
        #expect(matrix.size >= 21 && (matrix.size - 17) % 4 == 0)
        var covered = Array(repeating: false, count: matrix.size * matrix.size)
        for run in matrix.darkRuns {
            #expect(run.length >= 1)
            // Runs are maximal: the modules just before and after are light.
            if run.column > 0 { #expect(!matrix.isDark(row: run.row, column: run.column - 1)) }
            if run.column + run.length < matrix.size {
                #expect(!matrix.isDark(row: run.row, column: run.column + run.length))
            }
            for column in run.column..<run.column + run.length {
                #expect(!covered[run.row * matrix.size + column])
                covered[run.row * matrix.size + column] = true
            }
        }
        #expect(covered == matrix.modules)
        // Merging runs is what keeps vector QR codes small: far fewer rectangles than dark modules.
        #expect(matrix.darkRuns.count * 3 < matrix.modules.filter { $0 }.count * 2)
    }

    @Test func higherLevelsNeedLargerSymbols() throws {
        let low = try QRMatrix(encoding: Self.url, level: .low)
        let high = try QRMatrix(encoding: Self.url, level: .high)
        #expect(high.size > low.size)
    }

    @Test func aURLTooLongForAnyQRCodeIsAnError() {
        #expect(throws: RenderError.self) {
            try QRMatrix(encoding: String(repeating: "x", count: 8000), level: .medium)
        }
    }
}
