// Attest — certificates and documents you can verify. Apache-2.0.

import AttestConversion
internal import CLibFuzzer
import Foundation

/// What every fuzz target shares: how an input reaches a parser, and how the process starts.
package enum FuzzDriver {
    /// The callback type libFuzzer calls with each input.
    package typealias Target = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Hands one input to `parse`. A `ConversionError` is a correct answer; any other error is a finding, so it traps.
    package static func feed(_ data: UnsafePointer<UInt8>?, _ size: Int, to parse: ([UInt8]) throws -> Void) -> CInt {
        do {
            try parse(Array(UnsafeBufferPointer(start: data, count: size)))
        } catch is ConversionError {
            return 0
        } catch {
            preconditionFailure("a parser threw something other than a ConversionError: \(error)")
        }
        return 0
    }

    /// Runs libFuzzer with the command line when the binary was built with `-sanitize=fuzzer`; otherwise feeds each
    /// file named on the command line to `target` once, to replay a finding with an ordinary build.
    package static func run(_ target: Target) -> Never {
        if c_attest_libfuzzer_linked() {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(c_attest_run_libfuzzer(&argc, &argv, target))
        }
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            _ = [UInt8](data).withUnsafeBufferPointer { target($0.baseAddress, $0.count) }
            print("\(path): no crash")
        }
        exit(0)
    }
}
