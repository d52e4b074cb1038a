// Attest — certificates and documents you can verify. Apache-2.0.

import Foundation

/// Draws the template's art: each shape, its mirrored copies and its rotated repeats.
enum ShapePainter {
    static func draw(_ shape: Shape, on context: CairoContext, pageWidth: Double, pageHeight: Double) {
        let mirrors: [(Double, Double)] =
            switch shape.mirror {
            case .none: [(1, 1)]
            case .horizontal: [(1, 1), (-1, 1)]
            case .vertical: [(1, 1), (1, -1)]
            case .both: [(1, 1), (-1, 1), (1, -1), (-1, -1)]
            }
        // Every copy joins one path, painted once: smaller PDFs than one fill per copy.
        context.newPath()
        for (mirrorX, mirrorY) in mirrors {
            for copy in 0..<shape.repeatCount {
                context.save()
                if mirrorX != 1 || mirrorY != 1 {
                    context.translate(pageWidth / 2, pageHeight / 2)
                    context.scale(mirrorX, mirrorY)
                    context.translate(-pageWidth / 2, -pageHeight / 2)
                }
                if copy > 0 {
                    let angle = 2 * Double.pi * Double(copy) / Double(shape.repeatCount)
                    context.translate(shape.repeatCenter.x, shape.repeatCenter.y)
                    context.rotate(angle)
                    context.translate(-shape.repeatCenter.x, -shape.repeatCenter.y)
                }
                // The path is kept in device space, so it survives restore; painting outside the transform
                // keeps line widths even.
                self.path(shape.geometry, on: context)
                context.restore()
            }
        }
        self.paint(shape, on: context)
    }

    private static func path(_ geometry: Shape.Geometry, on context: CairoContext) {
        switch geometry {
        case .rectangle(let rect, let radius):
            if radius <= 0 {
                context.rectangle(rect.x, rect.y, rect.width, rect.height)
            } else {
                let r = min(radius, rect.width / 2, rect.height / 2)
                context.moveTo(rect.maxX - r, rect.y)
                context.arc(centerX: rect.maxX - r, centerY: rect.y + r, radius: r, from: -Double.pi / 2, to: 0)
                context.arc(centerX: rect.maxX - r, centerY: rect.maxY - r, radius: r, from: 0, to: Double.pi / 2)
                context.arc(centerX: rect.x + r, centerY: rect.maxY - r, radius: r, from: Double.pi / 2, to: Double.pi)
                context.arc(centerX: rect.x + r, centerY: rect.y + r, radius: r, from: Double.pi, to: 1.5 * Double.pi)
                context.closePath()
            }
        case .line(let from, let to):
            context.moveTo(from.x, from.y)
            context.lineTo(to.x, to.y)
        case .circle(let x, let y, let radius):
            context.moveTo(x + radius, y)
            context.arc(centerX: x, centerY: y, radius: radius, from: 0, to: 2 * Double.pi)
            context.closePath()
        case .path(let commands):
            for command in commands {
                switch command {
                case .move(let x, let y): context.moveTo(x, y)
                case .line(let x, let y): context.lineTo(x, y)
                case .curve(let x1, let y1, let x2, let y2, let x, let y): context.curveTo(x1, y1, x2, y2, x, y)
                case .close: context.closePath()
                }
            }
        }
    }

    private static func paint(_ shape: Shape, on context: CairoContext) {
        if let fill = shape.fill {
            context.setColor(fill)
            context.fill(preserve: shape.stroke != nil)
        }
        if let stroke = shape.stroke {
            context.setColor(stroke)
            context.setLineWidth(shape.strokeWidth)
            context.setLineCap(round: true)
            context.setDash(shape.dash)
            context.stroke()
            context.setDash([])
        }
        context.newPath()
    }
}

/// Draws a QR code: a light square with the 4-module quiet zone, then the dark modules, either as a 1-bit image
/// mask (the default: tiny and fast) or as one rectangle per horizontal run of dark modules, filled as one path.
enum QRPainter {
    /// Modules of light margin on each side, as ISO/IEC 18004 requires.
    static let quietZone = 4

    static func draw(_ matrix: QRMatrix, in block: QRBlock, on context: CairoContext) throws {
        let box = block.box
        let module = box.width / Double(matrix.size + 2 * self.quietZone)
        context.setColor(block.background)
        context.rectangle(box.x, box.y, box.width, box.height)
        context.fill()
        let originX = box.x + Double(self.quietZone) * module
        let originY = box.y + Double(self.quietZone) * module
        context.setColor(block.color)
        switch block.drawing {
        case .mask:
            try context.maskModules(matrix, x: originX, y: originY, module: module)
        case .vector:
            context.newPath()
            for run in matrix.darkRuns {
                context.rectangle(
                    originX + Double(run.column) * module,
                    originY + Double(run.row) * module,
                    Double(run.length) * module,
                    module
                )
            }
            context.fill()
        }
    }
}
