// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// A certificate design loaded from `templates/<id>/template.yaml`: page, art, text blocks and the QR code.
///
/// Geometry is in points from the top-left corner of the page; `TemplateLoader` converts the millimetres of the
/// file. Every value of this type has passed the loader's checks.
package struct CertificateTemplate: Sendable {
    /// The folder name, such as `classic`.
    package var id: String
    /// The template's own version number; recorded with each certificate issued from it.
    package var version: Int
    /// A human name, such as "Classic (A4 landscape)".
    package var name: String
    package var pageWidth: Double
    package var pageHeight: Double
    package var background: Background
    /// Art drawn first, in order.
    package var shapes: [Shape]
    /// Text drawn after the art, in order.
    package var texts: [TextBlock]
    package var qr: QRBlock
    /// PDF metadata patterns; placeholders allowed.
    package var metadata: Metadata

    /// The page's colour and optional PNG image (scaled to cover the page).
    package struct Background: Sendable {
        package var color: RGBAColor?
        /// PNG bytes read from the template folder.
        package var image: [UInt8]?
        package var imageName: String?
    }

    /// The PDF document-information entries; author is always the organisation.
    package struct Metadata: Sendable {
        package var title: TextTemplate
        package var subject: TextTemplate
        package var keywords: TextTemplate
        /// The language of the template's text (BCP 47), written as the PDF's `/Lang`; nil means the locale.
        package var language: String?
    }
}

/// A value the renderer substitutes into template text as `{{name}}`.
package enum Placeholder: String, Sendable, CaseIterable, Hashable {
    case learnerName = "learner_name"
    case courseTitle = "course_title"
    case organisation
    case issuedOn = "issued_on"
    case verificationCode = "verification_code"
    case verificationURL = "verification_url"
    /// The verification URL without `https://`, for printing under the QR code.
    case verificationURLShort = "verification_url_short"
    case score
    case programTitle = "program_title"
}

/// Template text split into literal parts and placeholders.
package struct TextTemplate: Sendable, Hashable {
    /// One piece of template text.
    package enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder)
    }

    package var parts: [Part]

    package var placeholders: Set<Placeholder> {
        Set(self.parts.compactMap { if case .placeholder(let placeholder) = $0 { placeholder } else { nil } })
    }

    /// Parses `{{name}}` placeholders; throws the unknown name (or the unclosed `{{`) as a sentence.
    package init(parsing text: String) throws(TemplateTextProblem) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateTextProblem(message: "\"{{\" is not closed with \"}}\"")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpaces
            guard let placeholder = Placeholder(rawValue: name) else {
                let known = Placeholder.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: ", ")
                throw TemplateTextProblem(message: "unknown placeholder {{\(name)}} (known: \(known))")
            }
            parts.append(.placeholder(placeholder))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    /// The text with every placeholder replaced, or nil when a placeholder has no value (the block is left out).
    package func resolve(_ values: [Placeholder: String]) -> String? {
        var text = ""
        for part in self.parts {
            switch part {
            case .literal(let literal): text += literal
            case .placeholder(let placeholder):
                guard let value = values[placeholder] else { return nil }
                text += value
            }
        }
        return text
    }
}

/// Why a piece of template text could not be parsed.
package struct TemplateTextProblem: Error, Sendable {
    package var message: String
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// How a text block looks: font, size range, colour, alignment and spacing.
package struct TextStyle: Sendable, Hashable {
    /// Horizontal alignment inside the block's box.
    package enum Alignment: String, Sendable, CaseIterable {
        case left, center, right
    }

    /// Vertical alignment inside the block's box.
    package enum VerticalAlignment: String, Sendable, CaseIterable {
        case top, middle, bottom
    }

    /// A family or fontconfig alias from `fonts/fonts.conf`, such as `Attest Serif`.
    package var family: String
    /// CSS-style weight, 100…1000.
    package var weight: Int
    package var italic: Bool
    /// Points; the text starts at this size.
    package var size: Double
    /// Points; the text shrinks down to this size before it wraps.
    package var minimumSize: Double
    package var color: RGBAColor
    package var alignment: Alignment
    package var verticalAlignment: VerticalAlignment
    /// Extra space between letters, in points.
    package var letterSpacing: Double
    /// Line height as a factor of the font's (0 = the font's own).
    package var lineSpacing: Double
    /// OpenType features in CSS syntax, such as `liga=0` or `smcp`; nil for the font's defaults.
    package var features: String?
}

/// A text block: template text with placeholders, drawn inside a box that it never leaves.
package struct TextBlock: Sendable {
    package var id: String
    package var text: TextTemplate
    package var box: Rect
    package var style: TextStyle
    /// Lines the text may wrap to at its minimum size. Defaults to 2.
    package var maxLines: Int
    /// Whether the text wraps before it shrinks (`fit: wrap`); by default it shrinks on one line first.
    package var wrapsFirst: Bool
    /// Whether the block links to the verification URL (true when the text contains `{{verification_url}}`).
    package var isLink: Bool

    /// Whether the text is the same on every certificate, so its layout can be made once.
    package var isStatic: Bool { self.text.placeholders.isEmpty }
}

/// A piece of art drawn by the template: rectangle, line, circle or SVG-style path, filled and/or stroked.
package struct Shape: Sendable {
    /// What is drawn.
    package enum Geometry: Sendable {
        case rectangle(Rect, cornerRadius: Double)
        case line(from: (x: Double, y: Double), to: (x: Double, y: Double))
        case circle(centerX: Double, centerY: Double, radius: Double)
        case path([PathCommand])
    }

    /// Copies of the shape reflected about the page's centre lines.
    package enum Mirror: String, Sendable, CaseIterable {
        case none, horizontal, vertical, both
    }

    package var id: String
    package var geometry: Geometry
    package var fill: RGBAColor?
    package var stroke: RGBAColor?
    /// Points.
    package var strokeWidth: Double
    /// Dash lengths in points; empty for a solid line.
    package var dash: [Double]
    package var mirror: Mirror
    /// Copies rotated evenly about `repeatCenter` (1 = just the shape).
    package var repeatCount: Int
    package var repeatCenter: (x: Double, y: Double)
}

/// One command of a path, in points.
package enum PathCommand: Sendable, Hashable {
    case move(x: Double, y: Double)
    case line(x: Double, y: Double)
    case curve(x1: Double, y1: Double, x2: Double, y2: Double, x: Double, y: Double)
    case close
}

/// Where the QR code goes and how it is encoded.
package struct QRBlock: Sendable {
    /// The square the symbol fills, quiet zone included.
    package var box: Rect
    package var level: QRLevel
    package var color: RGBAColor
    package var background: RGBAColor
    package var drawing: QRDrawing
}

/// How the QR modules are drawn: a 1-bit image mask with interpolation off (default), or vector rectangles.
package enum QRDrawing: String, Sendable, CaseIterable {
    case mask, vector
}

/// QR error-correction level: L 7 %, M 15 % (the default), Q 25 %, H 30 % of the symbol may be damaged.
package enum QRLevel: String, Sendable, CaseIterable {
    case low = "L"
    case medium = "M"
    case quartile = "Q"
    case high = "H"
}
