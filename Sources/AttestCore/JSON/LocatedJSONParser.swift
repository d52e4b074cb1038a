// Attest — certificates and documents you can verify. Apache-2.0.

/// A strict RFC 8259 parser that records where each value starts; the engine behind `LocatedJSON.parse`.
struct LocatedJSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// Index of the first byte of the current line.
    private var lineStart = 0
    /// Nesting limit, so that a hostile file cannot exhaust the stack.
    private static let maximumDepth = 200

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.index = 3 }
        self.lineStart = self.index
    }

    mutating func document() throws -> LocatedJSON {
        self.skipWhitespace()
        let value = try self.value(path: "$", depth: 0)
        self.skipWhitespace()
        guard self.index == self.bytes.count else {
            throw self.failure("$", "unexpected \(self.describeCurrent()) after the end of the document")
        }
        return value
    }

    // MARK: - Values

    private mutating func value(path: String, depth: Int) throws -> LocatedJSON {
        guard depth < Self.maximumDepth else { throw self.failure(path, "is nested too deeply") }
        let line = self.line
        let column = self.column
        guard let byte = self.current else { throw self.failure(path, "the document ends where a value should be") }
        let value: LocatedJSON.Value
        switch byte {
        case UInt8(ascii: "{"): value = try self.object(path: path, depth: depth)
        case UInt8(ascii: "["): value = try self.array(path: path, depth: depth)
        case UInt8(ascii: "\""): value = .string(try self.string(path: path))
        case UInt8(ascii: "t"):
            try self.literal("true", path: path)
            value = .bool(true)
        case UInt8(ascii: "f"):
            try self.literal("false", path: path)
            value = .bool(false)
        case UInt8(ascii: "n"):
            try self.literal("null", path: path)
            value = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = .number(try self.number(path: path))
        default: throw self.failure(path, "expected a value, found \(self.describeCurrent())")
        }
        return LocatedJSON(value: value, line: line, column: column)
    }

    private mutating func object(path: String, depth: Int) throws -> LocatedJSON.Value {
        self.index += 1
        var members: [LocatedJSON.Member] = []
        self.skipWhitespace()
        if self.current == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.current == UInt8(ascii: "\"") else {
                throw self.failure(path, "expected a member name in double quotes, found \(self.describeCurrent())")
            }
            let key = try self.string(path: path)
            let memberPath = path == "$" ? key : path + "." + key
            self.skipWhitespace()
            guard self.current == UInt8(ascii: ":") else {
                throw self.failure(memberPath, "expected ':' after the member name, found \(self.describeCurrent())")
            }
            self.index += 1
            self.skipWhitespace()
            members.append(LocatedJSON.Member(key: key, value: try self.value(path: memberPath, depth: depth + 1)))
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"):
                self.index += 1
                return .object(members)
            default:
                throw self.failure(memberPath, "expected ',' or '}' after the value, found \(self.describeCurrent())")
            }
        }
    }

    private mutating func array(path: String, depth: Int) throws -> LocatedJSON.Value {
        self.index += 1
        var elements: [LocatedJSON] = []
        self.skipWhitespace()
        if self.current == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            let elementPath = "\(path == "$" ? "" : path)[\(elements.count)]"
            elements.append(try self.value(path: elementPath, depth: depth + 1))
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"):
                self.index += 1
                return .array(elements)
            default:
                throw self.failure(elementPath, "expected ',' or ']' after the value, found \(self.describeCurrent())")
            }
        }
    }

    private mutating func literal(_ word: String, path: String) throws {
        let expected = Array(word.utf8)
        guard self.bytes[self.index...].starts(with: expected) else {
            throw self.failure(path, "expected a value, found \(self.describeCurrent())")
        }
        self.index += expected.count
    }

    private mutating func number(path: String) throws -> Double {
        let start = self.index
        if self.current == UInt8(ascii: "-") { self.index += 1 }
        guard let first = self.current, Self.isDigit(first) else {
            throw self.failure(path, "a number needs a digit after '-'")
        }
        if first == UInt8(ascii: "0") {
            self.index += 1
        } else {
            while let byte = self.current, Self.isDigit(byte) { self.index += 1 }
        }
        if self.current == UInt8(ascii: ".") {
            self.index += 1
            guard let byte = self.current, Self.isDigit(byte) else {
                throw self.failure(path, "a number needs a digit after '.'")
            }
            while let byte = self.current, Self.isDigit(byte) { self.index += 1 }
        }
        if self.current == UInt8(ascii: "e") || self.current == UInt8(ascii: "E") {
            self.index += 1
            if self.current == UInt8(ascii: "+") || self.current == UInt8(ascii: "-") { self.index += 1 }
            guard let byte = self.current, Self.isDigit(byte) else {
                throw self.failure(path, "a number needs a digit in its exponent")
            }
            while let byte = self.current, Self.isDigit(byte) { self.index += 1 }
        }
        guard let value = Double(String(decoding: self.bytes[start..<self.index], as: UTF8.self)), value.isFinite else {
            throw self.failure(path, "the number is out of range")
        }
        return value
    }

    private mutating func string(path: String) throws -> String {
        self.index += 1
        var runStart = self.index
        var text = ""
        while true {
            guard let byte = self.current else { throw self.failure(path, "a string is not closed") }
            switch byte {
            case UInt8(ascii: "\""):
                text += try self.decodeRun(runStart, path: path)
                self.index += 1
                return text
            case UInt8(ascii: "\\"):
                text += try self.decodeRun(runStart, path: path)
                self.index += 1
                text.unicodeScalars.append(try self.escape(path: path))
                runStart = self.index
            case 0..<0x20:
                throw self.failure(path, "a string contains a control character; write it as an escape such as \\n")
            default:
                self.index += 1
            }
        }
    }

    /// The unescaped bytes from `start` to the current index, which must be valid UTF-8.
    private func decodeRun(_ start: Int, path: String) throws -> String {
        guard start < self.index else { return "" }
        guard let text = String(validating: self.bytes[start..<self.index], as: UTF8.self) else {
            throw self.failure(path, "a string is not valid UTF-8")
        }
        return text
    }

    private mutating func escape(path: String) throws -> Unicode.Scalar {
        guard let byte = self.current else { throw self.failure(path, "a string is not closed") }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try self.hexQuad(path: path)
            if (0xD800..<0xDC00).contains(high) {
                guard self.bytes[self.index...].starts(with: Array("\\u".utf8)) else {
                    throw self.failure(path, "a \\u escape is half of a surrogate pair")
                }
                self.index += 2
                let low = try self.hexQuad(path: path)
                guard (0xDC00..<0xE000).contains(low),
                    let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                else { throw self.failure(path, "a \\u escape is half of a surrogate pair") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw self.failure(path, "a \\u escape is half of a surrogate pair")
            }
            return scalar
        default:
            throw self.failure(path, "a string has an unknown escape \\\(Unicode.Scalar(byte))")
        }
    }

    private mutating func hexQuad(path: String) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = self.current, let digit = Self.hexValue(byte) else {
                throw self.failure(path, "a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | digit
            self.index += 1
        }
        return value
    }

    // MARK: - Position

    private var current: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    /// 1-based column of the current index, in Unicode scalars (UTF-8 continuation bytes are not counted).
    private var column: Int {
        1 + self.bytes[self.lineStart..<min(self.index, self.bytes.count)].count(where: { $0 & 0xC0 != 0x80 })
    }

    private mutating func skipWhitespace() {
        while let byte = self.current {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                self.index += 1
            case UInt8(ascii: "\n"):
                self.index += 1
                self.line += 1
                self.lineStart = self.index
            default:
                return
            }
        }
    }

    private func describeCurrent() -> String {
        guard let byte = self.current else { return "the end of the document" }
        if byte >= 0x21, byte < 0x7F { return "'\(Unicode.Scalar(byte))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private func failure(_ path: String, _ message: String) -> CoreError {
        CoreError(
            .malformedJSON,
            "the file is not valid JSON",
            problems: [FieldProblem(field: path, message: message, line: self.line, column: self.column)]
        )
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
