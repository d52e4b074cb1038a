// Attest — certificates and documents you can verify. Apache-2.0.

// libFuzzer target for the .ppt reader: compound file, then edits, persist directories, slide list and slides.
// Build and run with scripts/fuzz PowerPointBinary; see Fuzz/README.md.

import AttestConversion
import AttestFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.feed(data, size, to: InspectionFuzzing.powerPointBinary)
}

FuzzDriver.run(fuzz)
