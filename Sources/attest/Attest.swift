// Attest — certificates and documents you can verify. Apache-2.0.

import AttestApp

/// The `attest` executable: everything lives in `AttestApp`.
@main
enum Attest {
    static func main() async {
        await AttestCommand.start()
    }
}
