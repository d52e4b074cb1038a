// Attest — certificates and documents you can verify. Apache-2.0.

/// A `NOTIFY` a listener received: its channel, payload and the sending backend's process id.
public struct PGNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    public var senderPID: Int32
}
