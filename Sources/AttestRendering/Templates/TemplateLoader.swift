// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Foundation
import Yams

/// Loads `<templates>/<id>/template.yaml` and checks every block; errors name the file, the block and the problem.
///
/// The file format is documented in `templates/README.md`. Lengths are millimetres from the top-left corner of the
/// page, font sizes and line widths are points, colours are `#RRGGBB` (or `#RGB`, `#RRGGBBAA`).
package struct TemplateLoader: Sendable {
    /// The folder that holds one folder per template.
    package var directory: String

    package init(directory: String) {
        self.directory = directory
    }

    /// The ids of the templates in the directory (folders that hold a `template.yaml`), sorted.
    package func templateIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.directory)) ?? []
        return names.filter { name in
            CompletionRules.isTemplateID(name)
                && FileManager.default.fileExists(atPath: self.path(name, "template.yaml"))
        }.sorted()
    }

    /// Loads and validates one template.
    package func load(id: String) throws -> CertificateTemplate {
        guard CompletionRules.isTemplateID(id) else {
            throw RenderError(.templateNotFound, "\"\(id)\" is not a template id (lower-case letters, digits, - and _)")
        }
        let file = self.path(id, "template.yaml")
        guard let data = FileManager.default.contents(atPath: file) else {
            let known = self.templateIDs().joined(separator: ", ")
            throw RenderError(
                .templateNotFound,
                "no template \"\(id)\": \(file) does not exist (templates: \(known.isEmpty ? "none" : known))"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RenderError(.invalidTemplate, "\(file): the file is not UTF-8 text")
        }
        return try self.parse(yaml: text, id: id, file: file)
    }

    /// Parses template YAML; `file` names the template in messages and locates its assets.
    package func parse(yaml: String, id: String, file: String) throws -> CertificateTemplate {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw RenderError(.invalidTemplate, "\(file): not valid YAML: \(error)", underlying: error)
        }
        guard let root, let mapping = root.mapping else {
            throw RenderError(
                .invalidTemplate,
                "\(file): the file must be a YAML mapping (version, page, texts, qr, …)"
            )
        }
        var reader = TemplateReader(file: file, assetDirectory: (file as NSString).deletingLastPathComponent)
        return try reader.template(id: id, mapping: mapping)
    }

    private func path(_ components: String...) -> String {
        ([self.directory] + components).joined(separator: "/")
    }
}

/// Walks the YAML tree of one template file.
private struct TemplateReader {
    let file: String
    let assetDirectory: String
    var pageWidth = 0.0
    var pageHeight = 0.0

    func fail(_ block: String, _ problem: String, _ node: Node? = nil) -> RenderError {
        let line = node?.mark.map { " (line \($0.line))" } ?? ""
        return RenderError(.invalidTemplate, "\(self.file): \(block)\(line): \(problem)")
    }

    // MARK: - Document

    mutating func template(id: String, mapping: Node.Mapping) throws -> CertificateTemplate {
        let top = try Fields(mapping, block: "template", reader: self)
        try top.allow(["version", "name", "page", "background", "shapes", "texts", "qr", "metadata"])
        guard let versionNode = top["version"], let version = versionNode.int, version >= 1 else {
            throw self.fail("template", "version is required and must be a whole number from 1", top["version"])
        }
        let name = try top.string("name") ?? id
        guard let pageNode = top["page"]?.mapping else {
            throw self.fail("page", "page is required: a mapping with size (A4, A5, Letter, Legal) and orientation")
        }
        try self.page(Fields(pageNode, block: "page", reader: self))
        let background = try self.background(top["background"])
        var shapes: [Shape] = []
        var ids = Set<String>()
        for (index, node) in (top["shapes"]?.sequence.map(Array.init) ?? []).enumerated() {
            let shape = try self.shape(node, index: index)
            guard ids.insert(shape.id).inserted else {
                throw self.fail("shapes[\(index)]", "duplicate id \"\(shape.id)\"", node)
            }
            shapes.append(shape)
        }
        guard let textNodes = top["texts"]?.sequence, !textNodes.isEmpty else {
            throw self.fail("texts", "texts is required: a list of text blocks", top["texts"])
        }
        var texts: [TextBlock] = []
        for (index, node) in textNodes.enumerated() {
            let block = try self.text(node, index: index)
            guard ids.insert(block.id).inserted else {
                throw self.fail("texts[\(index)]", "duplicate id \"\(block.id)\"", node)
            }
            texts.append(block)
        }
        guard let qrNode = top["qr"] else {
            throw self.fail("qr", "qr is required: every certificate carries the QR code of its verification URL")
        }
        let qr = try self.qr(qrNode)
        let metadata = try self.metadata(top["metadata"])
        return CertificateTemplate(
            id: id,
            version: version,
            name: name,
            pageWidth: self.pageWidth,
            pageHeight: self.pageHeight,
            background: background,
            shapes: shapes,
            texts: texts,
            qr: qr,
            metadata: metadata
        )
    }

    mutating func page(_ fields: Fields) throws {
        try fields.allow(["size", "orientation", "width", "height"])
        var width: Double
        var height: Double
        if let size = try fields.string("size") {
            switch size.lowercased() {
            case "a4": (width, height) = (210, 297)
            case "a5": (width, height) = (148, 210)
            case "letter": (width, height) = (215.9, 279.4)
            case "legal": (width, height) = (215.9, 355.6)
            default:
                throw self.fail(
                    "page",
                    "unknown size \"\(size)\" (use A4, A5, Letter, Legal, or width and height)",
                    fields["size"]
                )
            }
        } else {
            guard let w = try fields.number("width"), let h = try fields.number("height") else {
                throw self.fail("page", "give size (A4, A5, Letter, Legal) or width and height in mm")
            }
            (width, height) = (w, h)
        }
        guard (50...2000).contains(width), (50...2000).contains(height) else {
            throw self.fail("page", "the page must be 50–2000 mm on each side")
        }
        switch try fields.string("orientation")?.lowercased() ?? "portrait" {
        case "portrait": (width, height) = (min(width, height), max(width, height))
        case "landscape": (width, height) = (max(width, height), min(width, height))
        case let other:
            throw self.fail("page", "orientation \"\(other)\" must be portrait or landscape", fields["orientation"])
        }
        self.pageWidth = Units.points(millimetres: width)
        self.pageHeight = Units.points(millimetres: height)
    }

    var page: Rect { Rect(x: 0, y: 0, width: self.pageWidth, height: self.pageHeight) }

    func background(_ node: Node?) throws -> CertificateTemplate.Background {
        guard let node else { return .init() }
        guard let mapping = node.mapping else {
            throw self.fail("background", "must be a mapping (color, image)", node)
        }
        let fields = try Fields(mapping, block: "background", reader: self)
        try fields.allow(["color", "image"])
        var background = CertificateTemplate.Background(color: try fields.color("color"))
        if let name = try fields.string("image") {
            guard !name.contains("/"), !name.hasPrefix(".") else {
                throw self.fail(
                    "background",
                    "image \"\(name)\" must be a file name in the template's folder",
                    fields["image"]
                )
            }
            let path = self.assetDirectory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw self.fail(
                    "background",
                    "missing asset: image \"\(name)\" is not in the template's folder",
                    fields["image"]
                )
            }
            guard data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
                throw self.fail("background", "image \"\(name)\" is not a PNG file", fields["image"])
            }
            background.image = [UInt8](data)
            background.imageName = name
        }
        return background
    }

    // MARK: - Blocks

    func shape(_ node: Node, index: Int) throws -> Shape {
        guard let mapping = node.mapping else { throw self.fail("shapes[\(index)]", "must be a mapping", node) }
        let provisional = try Fields(mapping, block: "shapes[\(index)]", reader: self)
        let id = try provisional.string("id") ?? "shape-\(index + 1)"
        let block = "shapes[\(index)] \"\(id)\""
        let fields = try Fields(mapping, block: block, reader: self)
        try fields.allow([
            "id", "rect", "radius", "line", "circle", "path", "fill", "stroke", "stroke_width", "dash", "mirror",
            "repeat",
        ])
        let mm = Units.pointsPerMillimetre
        let kinds = ["rect", "line", "circle", "path"].filter { fields[$0] != nil }
        guard kinds.count == 1 else {
            throw self.fail(
                block,
                "give exactly one of rect, line, circle, path (found \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))",
                node
            )
        }
        let geometry: Shape.Geometry
        switch kinds[0] {
        case "rect":
            let v = try fields.numbers("rect", count: 4)
            let rect = Rect(x: v[0] * mm, y: v[1] * mm, width: v[2] * mm, height: v[3] * mm)
            try self.checkInsidePage(rect, block: block, node: fields["rect"])
            geometry = .rectangle(rect, cornerRadius: (try fields.number("radius") ?? 0) * mm)
        case "line":
            let v = try fields.numbers("line", count: 4)
            geometry = .line(from: (v[0] * mm, v[1] * mm), to: (v[2] * mm, v[3] * mm))
            let bounds = Rect(
                x: min(v[0], v[2]) * mm,
                y: min(v[1], v[3]) * mm,
                width: abs(v[2] - v[0]) * mm,
                height: abs(v[3] - v[1]) * mm
            )
            try self.checkInsidePage(bounds, block: block, node: fields["line"])
        case "circle":
            let v = try fields.numbers("circle", count: 3)
            guard v[2] > 0 else { throw self.fail(block, "circle radius must be positive", fields["circle"]) }
            geometry = .circle(centerX: v[0] * mm, centerY: v[1] * mm, radius: v[2] * mm)
            let bounds = Rect(x: (v[0] - v[2]) * mm, y: (v[1] - v[2]) * mm, width: 2 * v[2] * mm, height: 2 * v[2] * mm)
            try self.checkInsidePage(bounds, block: block, node: fields["circle"])
        default:
            guard let text = try fields.string("path") else {
                throw self.fail(block, "path must be a string", fields["path"])
            }
            var parser = PathParser(text, scale: mm)
            do {
                geometry = .path(try parser.parse())
            } catch {
                throw self.fail(block, error.message, fields["path"])
            }
        }
        let fill = try fields.color("fill")
        let stroke = try fields.color("stroke")
        guard fill != nil || stroke != nil else { throw self.fail(block, "give fill, stroke or both", node) }
        let strokeWidth = try fields.number("stroke_width") ?? 0.75
        guard strokeWidth > 0, strokeWidth <= 50 else {
            throw self.fail(block, "stroke_width must be 0–50 pt", fields["stroke_width"])
        }
        let dash = try fields["dash"].map { _ in try fields.numbers("dash", count: nil) } ?? []
        guard dash.allSatisfy({ $0 >= 0 }), dash.isEmpty || dash.contains(where: { $0 > 0 }) else {
            throw self.fail(block, "dash lengths must be positive", fields["dash"])
        }
        let mirrorText = try fields.string("mirror") ?? "none"
        guard let mirror = Shape.Mirror(rawValue: mirrorText) else {
            throw self.fail(
                block,
                "mirror \"\(mirrorText)\" must be none, horizontal, vertical or both",
                fields["mirror"]
            )
        }
        var repeatCount = 1
        var repeatCenter = (x: 0.0, y: 0.0)
        if let repeatNode = fields["repeat"] {
            guard let repeatMapping = repeatNode.mapping else {
                throw self.fail(block, "repeat must be a mapping (count, center)", repeatNode)
            }
            let repeatFields = try Fields(repeatMapping, block: block + " repeat", reader: self)
            try repeatFields.allow(["count", "center"])
            guard let count = repeatFields["count"]?.int, (1...360).contains(count) else {
                throw self.fail(block, "repeat count must be a whole number from 1 to 360", repeatNode)
            }
            let center = try repeatFields.numbers("center", count: 2)
            repeatCount = count
            repeatCenter = (center[0] * mm, center[1] * mm)
        }
        return Shape(
            id: id,
            geometry: geometry,
            fill: fill,
            stroke: stroke,
            strokeWidth: strokeWidth,
            dash: dash,
            mirror: mirror,
            repeatCount: repeatCount,
            repeatCenter: repeatCenter
        )
    }

    func text(_ node: Node, index: Int) throws -> TextBlock {
        guard let mapping = node.mapping else { throw self.fail("texts[\(index)]", "must be a mapping", node) }
        let provisional = try Fields(mapping, block: "texts[\(index)]", reader: self)
        guard let id = try provisional.string("id") else { throw self.fail("texts[\(index)]", "id is required", node) }
        let block = "texts[\(index)] \"\(id)\""
        let fields = try Fields(mapping, block: block, reader: self)
        try fields.allow([
            "id", "text", "box", "font", "weight", "italic", "size", "min_size", "color", "align", "valign",
            "letter_spacing", "line_spacing", "max_lines", "features", "fit",
        ])
        guard let raw = try fields.string("text") else { throw self.fail(block, "text is required", node) }
        let text: TextTemplate
        do {
            text = try TextTemplate(parsing: raw)
        } catch {
            throw self.fail(block, error.message, fields["text"])
        }
        let box = try self.box(fields, block: block)
        let size = try fields.number("size") ?? 12
        guard (2...400).contains(size) else { throw self.fail(block, "size must be 2–400 pt", fields["size"]) }
        let minimumSize = try fields.number("min_size") ?? size
        guard minimumSize >= 2, minimumSize <= size else {
            throw self.fail(block, "min_size must be from 2 pt up to size (\(size) pt)", fields["min_size"])
        }
        let weight = try self.weight(fields, block: block)
        let alignText = try fields.string("align") ?? "center"
        guard let alignment = TextStyle.Alignment(rawValue: alignText) else {
            throw self.fail(block, "align \"\(alignText)\" must be left, center or right", fields["align"])
        }
        let valignText = try fields.string("valign") ?? "middle"
        guard let verticalAlignment = TextStyle.VerticalAlignment(rawValue: valignText) else {
            throw self.fail(block, "valign \"\(valignText)\" must be top, middle or bottom", fields["valign"])
        }
        let maxLines = fields["max_lines"]?.int ?? 2
        guard (1...20).contains(maxLines) else { throw self.fail(block, "max_lines must be 1–20", fields["max_lines"]) }
        guard fields["italic"] == nil || fields["italic"]?.bool != nil else {
            throw self.fail(block, "italic must be true or false", fields["italic"])
        }
        let fit = try fields.string("fit") ?? "shrink"
        guard fit == "shrink" || fit == "wrap" else {
            throw self.fail(
                block,
                "fit \"\(fit)\" must be shrink (one line, then wrap) or wrap (wrap, then shrink)",
                fields["fit"]
            )
        }
        let style = TextStyle(
            family: try fields.string("font") ?? "Attest Serif",
            weight: weight,
            italic: fields["italic"]?.bool ?? false,
            size: size,
            minimumSize: minimumSize,
            color: try fields.color("color") ?? .black,
            alignment: alignment,
            verticalAlignment: verticalAlignment,
            letterSpacing: try fields.number("letter_spacing") ?? 0,
            lineSpacing: try fields.number("line_spacing") ?? 0,
            features: try fields.string("features")
        )
        return TextBlock(
            id: id,
            text: text,
            box: box,
            style: style,
            maxLines: maxLines,
            wrapsFirst: fit == "wrap",
            isLink: !text.placeholders.isDisjoint(with: [.verificationURL, .verificationURLShort])
        )
    }

    func qr(_ node: Node) throws -> QRBlock {
        guard let mapping = node.mapping else {
            throw self.fail("qr", "must be a mapping (position, size, level)", node)
        }
        let fields = try Fields(mapping, block: "qr", reader: self)
        try fields.allow(["position", "size", "level", "color", "background", "drawing"])
        let position = try fields.numbers("position", count: 2)
        guard let size = try fields.number("size"), size >= 15 else {
            throw self.fail(
                "qr",
                "size is required and must be at least 15 mm (smaller codes do not scan reliably)",
                fields["size"] ?? node
            )
        }
        let mm = Units.pointsPerMillimetre
        let box = Rect(x: position[0] * mm, y: position[1] * mm, width: size * mm, height: size * mm)
        try self.checkInsidePage(box, block: "qr", node: fields["position"])
        let levelText = try fields.string("level") ?? "M"
        guard let level = QRLevel(rawValue: levelText.uppercased()) else {
            throw self.fail("qr", "level \"\(levelText)\" must be L, M, Q or H", fields["level"])
        }
        let drawingText = try fields.string("drawing") ?? "mask"
        guard let drawing = QRDrawing(rawValue: drawingText) else {
            throw self.fail("qr", "drawing \"\(drawingText)\" must be mask or vector", fields["drawing"])
        }
        return QRBlock(
            box: box,
            level: level,
            color: try fields.color("color") ?? .black,
            background: try fields.color("background") ?? .white,
            drawing: drawing
        )
    }

    func metadata(_ node: Node?) throws -> CertificateTemplate.Metadata {
        var fields: Fields?
        if let node {
            guard let mapping = node.mapping else {
                throw self.fail("metadata", "must be a mapping (title, subject, keywords)", node)
            }
            fields = try Fields(mapping, block: "metadata", reader: self)
            try fields?.allow(["title", "subject", "keywords", "language"])
        }
        func pattern(_ key: String, _ fallback: String) throws -> TextTemplate {
            let text = try fields?.string(key) ?? fallback
            do {
                return try TextTemplate(parsing: text)
            } catch {
                throw self.fail("metadata", "\(key): \(error.message)", fields?[key])
            }
        }
        let language = try fields?.string("language")
        if let language, !CompletionRules.isLanguageTag(language) {
            throw self.fail(
                "metadata",
                "language \"\(language)\" is not a BCP 47 tag such as en or fr-CA",
                fields?["language"]
            )
        }
        return CertificateTemplate.Metadata(
            title: try pattern("title", "Certificate: {{course_title}}"),
            subject: try pattern("subject", "{{learner_name}} completed {{course_title}}"),
            keywords: try pattern("keywords", "{{verification_url}}"),
            language: language
        )
    }

    // MARK: - Values

    func box(_ fields: Fields, block: String) throws -> Rect {
        let v = try fields.numbers("box", count: 4)
        guard v[2] > 0, v[3] > 0 else { throw self.fail(block, "box width and height must be positive", fields["box"]) }
        let mm = Units.pointsPerMillimetre
        let rect = Rect(x: v[0] * mm, y: v[1] * mm, width: v[2] * mm, height: v[3] * mm)
        try self.checkInsidePage(rect, block: block, node: fields["box"])
        return rect
    }

    func checkInsidePage(_ rect: Rect, block: String, node: Node?) throws {
        guard self.page.contains(rect) else {
            let mm = 1 / Units.pointsPerMillimetre
            func f(_ value: Double) -> String { String((value * mm * 10).rounded() / 10) }
            throw self.fail(
                block,
                "box outside the page: [\(f(rect.x)), \(f(rect.y)), \(f(rect.width)), \(f(rect.height))] mm does not fit "
                    + "in the \(f(self.pageWidth)) × \(f(self.pageHeight)) mm page",
                node
            )
        }
    }

    func weight(_ fields: Fields, block: String) throws -> Int {
        guard let node = fields["weight"] else { return 400 }
        if let number = node.int {
            guard (100...1000).contains(number) else { throw self.fail(block, "weight must be 100–1000", node) }
            return number
        }
        let names = [
            "thin": 100, "light": 300, "normal": 400, "regular": 400, "medium": 500, "semibold": 600, "bold": 700,
            "heavy": 900,
        ]
        guard let text = node.string, let weight = names[text.lowercased()] else {
            throw self.fail(
                block,
                "weight must be 100–1000 or one of \(names.keys.sorted().joined(separator: ", "))",
                node
            )
        }
        return weight
    }
}

/// The keys of one YAML mapping, with typed accessors that fail naming the block.
private struct Fields {
    let values: [String: Node]
    let order: [String]
    let block: String
    let reader: TemplateReader

    init(_ mapping: Node.Mapping, block: String, reader: TemplateReader) throws {
        var values: [String: Node] = [:]
        var order: [String] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw reader.fail(block, "keys must be strings", key) }
            values[name] = value
            order.append(name)
        }
        self.values = values
        self.order = order
        self.block = block
        self.reader = reader
    }

    subscript(key: String) -> Node? { self.values[key] }

    func allow(_ keys: Set<String>) throws {
        if let unknown = self.order.first(where: { !keys.contains($0) }) {
            throw self.reader.fail(
                self.block,
                "unknown key \"\(unknown)\" (allowed: \(keys.sorted().joined(separator: ", ")))",
                self.values[unknown]
            )
        }
    }

    func string(_ key: String) throws -> String? {
        guard let node = self.values[key] else { return nil }
        guard let scalar = node.scalar else { throw self.reader.fail(self.block, "\(key) must be a string", node) }
        return scalar.string
    }

    func number(_ key: String) throws -> Double? {
        guard let node = self.values[key] else { return nil }
        guard let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw self.reader.fail(self.block, "\(key) must be a number", node)
        }
        return value
    }

    /// A list of numbers; `count` nil accepts any length of at least one.
    func numbers(_ key: String, count: Int?) throws -> [Double] {
        guard let node = self.values[key] else {
            throw self.reader.fail(
                self.block,
                "\(key) is required (a list of \(count.map(String.init) ?? "some") numbers)"
            )
        }
        let values = node.sequence.map { $0.map { $0.float ?? $0.int.map(Double.init) } } ?? []
        guard !values.isEmpty, values.allSatisfy({ $0?.isFinite == true }), count == nil || values.count == count else {
            throw self.reader.fail(
                self.block,
                "\(key) must be a list of \(count.map(String.init) ?? "some") numbers",
                node
            )
        }
        return values.map { $0! }
    }

    func color(_ key: String) throws -> RGBAColor? {
        guard let node = self.values[key] else { return nil }
        guard let text = node.string, let color = RGBAColor(hex: text) else {
            throw self.reader.fail(
                self.block,
                "bad colour \"\(node.string ?? "?")\" for \(key): use #RRGGBB, #RGB or #RRGGBBAA (quote it in YAML)",
                node
            )
        }
        return color
    }
}
