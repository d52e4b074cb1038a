// Attest — certificates and documents you can verify. Apache-2.0.

import AttestTestSupport
import CCairo
import CQREncode
import Foundation
import Testing

@Suite("C library shims link and work")
struct ShimTests {
    @Test("a Cairo PDF surface writes a file that pdfinfo accepts")
    func cairoWritesPDF() async throws {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("shim-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: url) }
        let surface = cairo_pdf_surface_create(url.path, 595, 842)
        #expect(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
        let context = cairo_create(surface)
        cairo_rectangle(context, 100, 100, 200, 50)
        cairo_fill(context)
        cairo_show_page(context)
        cairo_destroy(context)
        cairo_surface_finish(surface)
        #expect(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
        cairo_surface_destroy(surface)

        guard let pdfinfo = RunningProcess.which("pdfinfo") else {
            try #require(!IntegrationEnvironment.isRequired, "pdfinfo is missing: run scripts/bootstrap")
            return
        }
        let info = try await RunningProcess.run(pdfinfo, arguments: [url.path])
        #expect(info.status == 0, "\(info.standardError)")
        #expect(info.standardOutput.contains(/Pages:\s+1\n/))
    }

    @Test("libqrencode encodes a URL into a square symbol")
    func qrencodeEncodesURL() throws {
        let url = "https://attest.example/v/7QW3M9KXH2CFJ4RTV8NPD6YBGA"
        let code = try #require(QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1))
        defer { QRcode_free(code) }
        #expect(code.pointee.version >= 3)
        #expect(code.pointee.width == 17 + 4 * code.pointee.version)
        let modules = UnsafeBufferPointer(start: code.pointee.data, count: Int(code.pointee.width * code.pointee.width))
        let dark = modules.filter { $0 & 1 == 1 }.count
        #expect(dark > modules.count / 4 && dark < modules.count * 3 / 4)
    }
}
