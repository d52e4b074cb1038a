// Attest — certificates and documents you can verify. Apache-2.0.

// libFuzzer target for the whole pre-flight check of an input deck, with the pool's default limits.
// Build and run with scripts/fuzz DeckInspector; see Fuzz/README.md.

import AttestConversion
import AttestFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.feed(data, size, to: InspectionFuzzing.deck)
}

FuzzDriver.run(fuzz)
