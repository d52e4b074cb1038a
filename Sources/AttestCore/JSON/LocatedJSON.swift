// Attest — certificates and documents you can verify. Apache-2.0.

/// A JSON value with the line and column where it starts, so that validating a file an operator wrote can say
/// which line of it is wrong (`JSONDecoder` keeps no positions).
package struct LocatedJSON: Sendable {
    /// The value itself; an object keeps its members in file order, duplicates included.
    package enum Value: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([LocatedJSON])
        case object([Member])
    }

    /// One `"key": value` of an object.
    package struct Member: Sendable {
        package var key: String
        package var value: LocatedJSON
    }

    package var value: Value
    /// 1-based line of the value's first character.
    package var line: Int
    /// 1-based column (in Unicode scalars) of the value's first character.
    package var column: Int

    /// The JSON type's name, for messages such as "must be a string, not a number".
    package var typeName: String {
        switch self.value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses a whole UTF-8 document (a leading byte order mark is allowed); the error names the line, column and
    /// the field the parser was in.
    package static func parse(_ bytes: [UInt8]) throws -> LocatedJSON {
        var parser = LocatedJSONParser(bytes)
        return try parser.document()
    }
}
