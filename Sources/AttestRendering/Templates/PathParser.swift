// Attest — certificates and documents you can verify. Apache-2.0.

/// Parses the SVG path subset templates use (`M L H V C S Q T Z`, absolute and relative) into commands, scaling
/// every coordinate by `scale` (millimetres to points).
struct PathParser {
    private let scanner: [Character]
    private var index = 0
    private let scale: Double

    init(_ text: String, scale: Double) {
        self.scanner = Array(text)
        self.scale = scale
    }

    /// The commands, or a sentence saying what is wrong.
    mutating func parse() throws(TemplateTextProblem) -> [PathCommand] {
        var commands: [PathCommand] = []
        var current = (x: 0.0, y: 0.0)
        var start = (x: 0.0, y: 0.0)
        var lastControl: (x: Double, y: Double)?
        var lastQuadratic: (x: Double, y: Double)?
        var command: Character?
        while true {
            self.skipSeparators()
            guard self.index < self.scanner.count else { break }
            let character = self.scanner[self.index]
            if character.isLetter {
                command = character
                self.index += 1
            } else if command == nil {
                throw TemplateTextProblem(message: "a path must start with M")
            }
            guard let letter = command else { break }
            let relative = letter.isLowercase
            func point(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
                relative ? (current.x + x * self.scale, current.y + y * self.scale) : (x * self.scale, y * self.scale)
            }
            var nextControl: (x: Double, y: Double)?
            var nextQuadratic: (x: Double, y: Double)?
            switch letter.uppercased() {
            case "M":
                let p = point(try self.number(), try self.number())
                commands.append(.move(x: p.x, y: p.y))
                current = p
                start = p
                command = relative ? "l" : "L"  // further pairs are line-tos
            case "L":
                let p = point(try self.number(), try self.number())
                commands.append(.line(x: p.x, y: p.y))
                current = p
            case "H":
                let x = try self.number() * self.scale
                current = (relative ? current.x + x : x, current.y)
                commands.append(.line(x: current.x, y: current.y))
            case "V":
                let y = try self.number() * self.scale
                current = (current.x, relative ? current.y + y : y)
                commands.append(.line(x: current.x, y: current.y))
            case "C", "S":
                let c1: (x: Double, y: Double)
                if letter.uppercased() == "S" {
                    c1 = lastControl.map { (2 * current.x - $0.x, 2 * current.y - $0.y) } ?? current
                } else {
                    c1 = point(try self.number(), try self.number())
                }
                let c2 = point(try self.number(), try self.number())
                let p = point(try self.number(), try self.number())
                commands.append(.curve(x1: c1.x, y1: c1.y, x2: c2.x, y2: c2.y, x: p.x, y: p.y))
                current = p
                nextControl = c2
            case "Q", "T":
                let q: (x: Double, y: Double)
                if letter.uppercased() == "T" {
                    q = lastQuadratic.map { (2 * current.x - $0.x, 2 * current.y - $0.y) } ?? current
                } else {
                    q = point(try self.number(), try self.number())
                }
                let p = point(try self.number(), try self.number())
                commands.append(
                    .curve(
                        x1: current.x + 2 / 3 * (q.x - current.x),
                        y1: current.y + 2 / 3 * (q.y - current.y),
                        x2: p.x + 2 / 3 * (q.x - p.x),
                        y2: p.y + 2 / 3 * (q.y - p.y),
                        x: p.x,
                        y: p.y
                    )
                )
                current = p
                nextQuadratic = q
            case "Z":
                commands.append(.close)
                current = start
                command = nil
            default:
                throw TemplateTextProblem(
                    message: "path command \"\(letter)\" is not supported (use M, L, H, V, C, S, Q, T, Z)"
                )
            }
            lastControl = nextControl
            lastQuadratic = nextQuadratic
        }
        guard !commands.isEmpty else { throw TemplateTextProblem(message: "the path is empty") }
        return commands
    }

    private mutating func skipSeparators() {
        while self.index < self.scanner.count, self.scanner[self.index].isWhitespace || self.scanner[self.index] == ","
        {
            self.index += 1
        }
    }

    private mutating func number() throws(TemplateTextProblem) -> Double {
        self.skipSeparators()
        var text = ""
        while self.index < self.scanner.count {
            let character = self.scanner[self.index]
            let isSign = (character == "-" || character == "+") && (text.isEmpty || text.last == "e")
            guard character.isNumber || character == "." || character == "e" || isSign else { break }
            if character == "." && text.contains(".") { break }  // "1.5.5" is 1.5 then .5
            text.append(character)
            self.index += 1
        }
        guard let value = Double(text), value.isFinite else {
            throw TemplateTextProblem(message: "expected a number at character \(self.index + 1) of the path")
        }
        return value
    }
}
