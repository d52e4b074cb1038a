// Attest — certificates and documents you can verify. Apache-2.0.

/// A rectangle in PDF points (1/72 inch), origin at the top-left of the page, y downwards.
package struct Rect: Sendable, Hashable, CustomStringConvertible {
    package var x: Double
    package var y: Double
    package var width: Double
    package var height: Double

    package init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    package var maxX: Double { self.x + self.width }
    package var maxY: Double { self.y + self.height }

    /// Whether `other` lies inside this rectangle, allowing `tolerance` points for rounding.
    package func contains(_ other: Rect, tolerance: Double = 0.01) -> Bool {
        other.x >= self.x - tolerance && other.y >= self.y - tolerance
            && other.maxX <= self.maxX + tolerance && other.maxY <= self.maxY + tolerance
    }

    package var description: String {
        func format(_ value: Double) -> String { String((value * 10).rounded() / 10) }
        return "[x \(format(self.x)), y \(format(self.y)), w \(format(self.width)), h \(format(self.height))] pt"
    }
}

/// Conversions between the millimetres templates use and the points PDF uses.
enum Units {
    static let pointsPerMillimetre = 72.0 / 25.4

    static func points(millimetres: Double) -> Double { millimetres * self.pointsPerMillimetre }
}

/// A colour with alpha, each component from 0 to 1.
package struct RGBAColor: Sendable, Hashable {
    package var red: Double
    package var green: Double
    package var blue: Double
    package var alpha: Double

    package init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// Parses `#RGB`, `#RRGGBB` or `#RRGGBBAA`.
    package init?(hex text: String) {
        guard text.hasPrefix("#") else { return nil }
        var digits = Array(text.dropFirst())
        if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
        guard digits.count == 6 || digits.count == 8, let value = UInt32(String(digits), radix: 16) else { return nil }
        let components = digits.count == 8 ? value : value << 8 | 0xFF
        self.red = Double(components >> 24 & 0xFF) / 255
        self.green = Double(components >> 16 & 0xFF) / 255
        self.blue = Double(components >> 8 & 0xFF) / 255
        self.alpha = Double(components & 0xFF) / 255
    }

    package static let black = RGBAColor(red: 0, green: 0, blue: 0)
    package static let white = RGBAColor(red: 1, green: 1, blue: 1)
}
