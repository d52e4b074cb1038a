// Attest — certificates and documents you can verify. Apache-2.0.

/// The work of a command failed: ArgumentParser prints the message and exits 1 (64 is for usage errors).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
