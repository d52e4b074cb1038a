// Attest — certificates and documents you can verify. Apache-2.0.

import Testing

@testable import AttestConversion

/// The output check: complete PDF, page objects counted (not the page tree).
@Suite("PDFInspector")
struct PDFInspectorTests {
    @Test("counts /Type /Page objects and ignores /Pages")
    func countsPages() throws {
        let pdf =
            "%PDF-1.6\n1 0 obj <</Type/Pages/Count 2>> endobj 2 0 obj <</Type /Page>> endobj "
            + "3 0 obj <</Type/Page/Parent 1 0 R>> endobj\ntrailer\n%%EOF\n"
        #expect(try PDFInspector.pageCount(of: Array(pdf.utf8)) == 2)
    }

    @Test(
        "refuses output without the header or the trailer",
        arguments: ["", "hello %%EOF", "%PDF-1.6 <</Type/Page>>"]
    )
    func refusesIncomplete(text: String) {
        let error = try? #require(throws: ConversionError.self) { try PDFInspector.pageCount(of: Array(text.utf8)) }
        #expect(error?.code == .invalidOutput)
    }
}
