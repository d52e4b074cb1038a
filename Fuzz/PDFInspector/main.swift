// Attest — certificates and documents you can verify. Apache-2.0.

// libFuzzer target for the PDF page counter that judges LibreOffice's output.
// Build and run with scripts/fuzz PDFInspector; see Fuzz/README.md.

import AttestConversion
import AttestFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.feed(data, size, to: InspectionFuzzing.pdf)
}

FuzzDriver.run(fuzz)
