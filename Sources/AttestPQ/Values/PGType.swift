// Attest — certificates and documents you can verify. Apache-2.0.

/// A PostgreSQL type OID, so decoders can check a column's type before reading its bytes.
public struct PGType: Hashable, Sendable, CustomStringConvertible {
    public let oid: UInt32

    public init(oid: UInt32) {
        self.oid = oid
    }

    /// Lets the server infer the parameter's type from the statement.
    public static let unspecified = PGType(oid: 0)
    public static let bool = PGType(oid: 16)
    public static let bytea = PGType(oid: 17)
    public static let char = PGType(oid: 18)
    public static let name = PGType(oid: 19)
    public static let int8 = PGType(oid: 20)
    public static let int2 = PGType(oid: 21)
    public static let int4 = PGType(oid: 23)
    public static let text = PGType(oid: 25)
    public static let json = PGType(oid: 114)
    public static let float4 = PGType(oid: 700)
    public static let float8 = PGType(oid: 701)
    public static let unknown = PGType(oid: 705)
    public static let bpchar = PGType(oid: 1042)
    public static let varchar = PGType(oid: 1043)
    public static let date = PGType(oid: 1082)
    public static let timestamp = PGType(oid: 1114)
    public static let timestamptz = PGType(oid: 1184)
    public static let numeric = PGType(oid: 1700)
    public static let uuid = PGType(oid: 2950)
    public static let jsonb = PGType(oid: 3802)
    public static let textArray = PGType(oid: 1009)
    public static let int8Array = PGType(oid: 1016)
    public static let int4Array = PGType(oid: 1007)
    public static let uuidArray = PGType(oid: 2951)
    public static let jsonbArray = PGType(oid: 3807)
    public static let timestamptzArray = PGType(oid: 1185)

    private static let names: [UInt32: String] = [
        16: "boolean", 17: "bytea", 18: "char", 19: "name", 20: "bigint", 21: "smallint", 23: "integer",
        25: "text", 114: "json", 700: "real", 701: "double precision", 705: "unknown", 1042: "character",
        1043: "character varying", 1082: "date", 1114: "timestamp", 1184: "timestamp with time zone",
        1700: "numeric", 2950: "uuid", 3802: "jsonb", 1009: "text[]", 1016: "bigint[]", 1007: "integer[]",
        2951: "uuid[]", 3807: "jsonb[]", 1185: "timestamptz[]",
    ]

    public var description: String {
        Self.names[self.oid] ?? "type oid \(self.oid)"
    }

    /// Types whose binary form is UTF-8 text.
    var isTextual: Bool {
        [Self.text, .varchar, .bpchar, .name, .unknown, .json, .char].contains(self)
    }
}
