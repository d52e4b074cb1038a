// Attest — certificates and documents you can verify. Apache-2.0.

// libFuzzer target for the zip reader: central directory, ZIP64 fields, every member inflated.
// Build and run with scripts/fuzz ZipArchive; see Fuzz/README.md.

import AttestConversion
import AttestFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.feed(data, size, to: InspectionFuzzing.zipArchive)
}

FuzzDriver.run(fuzz)
