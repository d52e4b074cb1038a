// Attest — certificates and documents you can verify. Apache-2.0.

// libFuzzer target for the OLE compound-file reader: header, DIFAT, FAT, directory, mini stream, every stream.
// Build and run with scripts/fuzz CompoundFile; see Fuzz/README.md.

import AttestConversion
import AttestFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.feed(data, size, to: InspectionFuzzing.compoundFile)
}

FuzzDriver.run(fuzz)
