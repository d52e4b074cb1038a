// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

/// A conversion row: the source deck in storage, its PDF once converted, or why it failed.
public struct ConversionRecord: Sendable, Codable, Equatable {
    /// `pending` until the document.convert job ends it one way or the other.
    public enum State: String, Sendable, Codable {
        case pending
        case succeeded
        case failed
    }

    public var id: UUID
    public var sourceName: String
    public var sourcePath: String
    public var sourceSHA256: String
    public var sourceBytes: Int
    public var state: State
    public var outputPath: String?
    public var outputSHA256: String?
    public var outputBytes: Int?
    public var format: String?
    public var pages: Int?
    public var slides: Int?
    public var error: String?
    public var durationMilliseconds: Double?
    public var createdAt: Date
    public var finishedAt: Date?
}
