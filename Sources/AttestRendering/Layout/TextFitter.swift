// Attest — certificates and documents you can verify. Apache-2.0.

/// Where and how large one text block ended up on the page.
package struct PlacedText: Sendable, Hashable {
    /// The block's id in the template.
    package var blockID: String
    /// The text drawn.
    package var text: String
    /// The box the template gave the block.
    package var box: Rect
    /// The font size used, in points.
    package var size: Double
    package var lineCount: Int
    /// What the text occupies on the page, line heights included.
    package var logicalExtents: Rect
    /// What the glyphs cover on the page.
    package var inkExtents: Rect
    /// True only when the text did not fit at the block's minimum size on `max_lines` lines, and was made smaller
    /// still (or given more lines) rather than cut.
    package var exceededLimits: Bool
    /// Top-left corner at which the layout is drawn.
    var origin: (x: Double, y: Double)

    package static func == (lhs: PlacedText, rhs: PlacedText) -> Bool {
        lhs.blockID == rhs.blockID && lhs.text == rhs.text && lhs.size == rhs.size
            && lhs.logicalExtents == rhs.logicalExtents && lhs.inkExtents == rhs.inkExtents
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(self.blockID)
        hasher.combine(self.text)
        hasher.combine(self.size)
    }
}

/// Fits text into its box: full size on one line; else shrink on one line down to the minimum size; else wrap to
/// at most `max_lines` lines at the largest size that fits; else more lines, then smaller than the minimum.
/// Text never leaves its box and is never cut or ellipsized.
enum TextFitter {
    /// Sizes are rounded down to this step (points), which keeps output stable and searches short.
    static let sizeStep = 0.25

    static func fit(_ text: String, block: TextBlock, layout: TextLayout) -> PlacedText {
        let box = block.box
        let style = block.style
        layout.setText(text)

        // 1. One line at full size, then shrunk on one line.
        layout.setWrapWidth(nil)
        layout.setSize(style.size)
        var bounds = self.bounds(layout)
        if self.fitsOneLine(bounds, box) {
            return self.place(text, block: block, layout: layout, wrapped: false, exceeded: false)
        }
        var size = self.round(style.size * min(box.width / bounds.width, box.height / bounds.height))
        while size >= style.minimumSize, !block.wrapsFirst || block.maxLines == 1 {
            layout.setSize(size)
            bounds = self.bounds(layout)
            if self.fitsOneLine(bounds, box) {
                return self.place(text, block: block, layout: layout, wrapped: false, exceeded: false)
            }
            size = self.round(size * 0.97)
        }

        // 2. Wrapped to at most max_lines: the largest size that fits, by bisection.
        layout.setWrapWidth(box.width)
        func fits(_ size: Double, maxLines: Int) -> Bool {
            layout.setSize(size)
            let bounds = self.bounds(layout)
            // Pango places wrapped lines inside [0, box.width]; ink may still overhang (italics), so check it.
            return layout.lineCount <= maxLines && bounds.height <= box.height && bounds.x >= -0.01
                && bounds.maxX <= box.width + 0.01
        }
        if block.maxLines > 1, fits(style.minimumSize, maxLines: block.maxLines) {
            var low = style.minimumSize
            var high = style.size
            while high - low > self.sizeStep {
                let middle = self.round((low + high) / 2)
                if middle <= low { break }
                if fits(middle, maxLines: block.maxLines) { low = middle } else { high = middle }
            }
            layout.setSize(low)
            return self.place(text, block: block, layout: layout, wrapped: true, exceeded: false)
        }

        // 3. Never cut: as many lines as the box holds at the minimum size, then smaller.
        size = style.minimumSize
        while size > 1, !fits(size, maxLines: .max) {
            size = self.round(size * 0.92)
        }
        return self.place(text, block: block, layout: layout, wrapped: true, exceeded: true)
    }

    /// The union of the logical and ink extents: everything the text occupies or paints.
    private static func bounds(_ layout: TextLayout) -> Rect {
        self.bounds(layout.extents)
    }

    private static func bounds(_ extents: (logical: Rect, ink: Rect)) -> Rect {
        let (logical, ink) = extents
        guard ink.width > 0, ink.height > 0 else { return logical }
        let x = min(logical.x, ink.x)
        let y = min(logical.y, ink.y)
        return Rect(
            x: x,
            y: y,
            width: max(logical.maxX, ink.maxX) - x,
            height: max(logical.maxY, ink.maxY) - y
        )
    }

    private static func fitsOneLine(_ bounds: Rect, _ box: Rect) -> Bool {
        bounds.width <= box.width && bounds.height <= box.height
    }

    private static func round(_ size: Double) -> Double {
        (size / self.sizeStep).rounded(.down) * self.sizeStep
    }

    private static func place(
        _ text: String,
        block: TextBlock,
        layout: TextLayout,
        wrapped: Bool,
        exceeded: Bool
    ) -> PlacedText {
        let box = block.box
        let extents = layout.extents
        let (logical, ink) = extents
        let bounds = self.bounds(extents)
        let x: Double
        if wrapped {
            // Pango aligns each line inside the wrap width, which is the box's width.
            x = box.x
        } else {
            switch block.style.alignment {
            case .left: x = box.x - bounds.x
            case .center: x = box.x + (box.width - bounds.width) / 2 - bounds.x
            case .right: x = box.maxX - bounds.width - bounds.x
            }
        }
        var y: Double
        switch block.style.verticalAlignment {
        case .top: y = box.y - bounds.y
        case .middle: y = box.y + (box.height - bounds.height) / 2 - bounds.y
        case .bottom: y = box.maxY - bounds.height - bounds.y
        }
        if exceeded {
            // Only reached when nothing fits even at the smallest size: keep the top edge inside the box.
            y = max(y, box.y - bounds.y)
        }
        return PlacedText(
            blockID: block.id,
            text: text,
            box: box,
            size: layout.currentFontSize,
            lineCount: layout.lineCount,
            logicalExtents: Rect(x: x + logical.x, y: y + logical.y, width: logical.width, height: logical.height),
            inkExtents: Rect(x: x + ink.x, y: y + ink.y, width: ink.width, height: ink.height),
            exceededLimits: exceeded,
            origin: (x, y)
        )
    }
}
