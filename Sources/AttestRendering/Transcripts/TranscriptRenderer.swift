// Attest — certificates and documents you can verify. Apache-2.0.

package import AttestCore

/// Renders a program record as a transcript-style PDF: the program, the learner, a table of the program's courses
/// with status, grade and date, the totals, and a QR code to the record's page. A long program takes several A4
/// pages; the table continues on each with its header repeated, and every page is numbered.
///
/// Text goes through Pango with Attest's fonts, so names and titles in any script are shaped and fall back the
/// way certificates do. The same record and URL always give the same bytes: the PDF is dated with the record's
/// latest completion date, never the clock.
///
/// Synchronous CPU work like `CertificateRenderer`: run it on a thread pool. Not thread-safe; one per thread.
package final class TranscriptRenderer {
    // MARK: - Page geometry (points)

    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let margin = 48.0
    static let qrSize = 120.0
    static let footerHeight = 28.0
    static let cellPadding = 5.0
    static let contentWidth = pageWidth - 2 * margin
    /// Width of the header's text, beside the QR code.
    static let headerTextWidth = contentWidth - qrSize - 16

    /// The table's columns: number, course, status, grade, completion date; the course column takes the rest.
    static let columnWidths = [28.0, contentWidth - 28 - 78 - 52 - 76, 78, 52, 76]
    static let columnTitles = ["#", "Course", "Status", "Grade", "Completed"]

    static let ink = RGBAColor(red: 0.08, green: 0.13, blue: 0.24)
    static let muted = RGBAColor(red: 0.38, green: 0.42, blue: 0.50)
    static let rule = RGBAColor(red: 0.80, green: 0.82, blue: 0.86)
    static let earnedColor = RGBAColor(red: 0.05, green: 0.45, blue: 0.25)
    static let revokedColor = RGBAColor(red: 0.70, green: 0.12, blue: 0.12)
    static let headerFill = RGBAColor(red: 0.93, green: 0.94, blue: 0.96)

    /// One line (or wrapped paragraph) of the first page's header.
    private struct HeaderLine {
        var layout: TextLayout
        var text: String
        var size: Double
        var color: RGBAColor
        /// Space below it, in points.
        var gap: Double
    }

    private let fontMap: FontMap
    private let title: TextLayout
    private let heading: TextLayout
    private let body: TextLayout
    private let bodyBold: TextLayout
    private let small: TextLayout

    package init(fonts: FontSet) throws {
        RenderingLock.enter()
        defer { RenderingLock.leave() }
        self.fontMap = try FontMap(configuration: fonts.configuration)
        self.title = TextLayout(fontMap: self.fontMap, style: Self.style("Attest Serif", weight: 700))
        self.heading = TextLayout(fontMap: self.fontMap, style: Self.style("Attest Sans", weight: 400))
        self.body = TextLayout(fontMap: self.fontMap, style: Self.style("Attest Sans", weight: 400))
        self.bodyBold = TextLayout(fontMap: self.fontMap, style: Self.style("Attest Sans", weight: 700))
        self.small = TextLayout(fontMap: self.fontMap, style: Self.style("Attest Sans", weight: 400))
    }

    /// Renders the record. `recordURL` (`ATTEST_PUBLIC_URL/r/{token}`) goes into the QR code and the footer; a
    /// record that is not shared has no page, and its transcript no QR code.
    package func render(_ record: ProgramRecord, recordURL: String?) throws -> [UInt8] {
        try RenderingLock.run {
            let qr = try recordURL.map { try QRMatrix(encoding: $0, level: .medium) }
            let heights = record.courses.map(self.rowHeight)
            let pages = self.paginate(
                heights,
                firstTableTop: self.headerBottom(record),
                continuationTop: self.continuationBottom(record)
            )

            let surface = try CairoSurface.pdf(width: Self.pageWidth, height: Self.pageHeight)
            surface.setPDFMetadata(.title, "Program record: \(record.program.title)")
            surface.setPDFMetadata(.author, record.program.organisation)
            surface.setPDFMetadata(.subject, "\(record.learnerName): \(record.summary)")
            surface.setPDFMetadata(.creator, "Attest")
            let dated = (record.latestDate ?? CalendarDate(daysSinceUnixEpoch: 0)).description + "T00:00:00Z"
            surface.setPDFMetadata(.creationDate, dated)
            surface.setPDFMetadata(.modificationDate, dated)
            let finished: [UInt8]
            do {
                let context = try CairoContext(surface: surface)
                for (number, range) in pages.enumerated() {
                    if number > 0 { context.showPage() }
                    var y: Double
                    if number == 0 {
                        y = self.drawHeader(record, on: context)
                        if let qr, let recordURL { try self.drawQR(qr, url: recordURL, on: context) }
                    } else {
                        y = self.drawContinuationHeader(record, on: context)
                    }
                    y = self.drawTableHeader(at: y, on: context)
                    for index in range {
                        self.drawRow(record.courses[index], at: y, height: heights[index], on: context)
                        y += heights[index]
                    }
                    if number == pages.count - 1 {
                        self.drawTotals(record, at: y, on: context)
                    }
                    self.drawFooter(url: recordURL, page: number + 1, of: pages.count, on: context)
                }
                try context.checkStatus("drawing the transcript")
                finished = try surface.finishPDF()
            } catch {
                surface.abandonPDF()
                throw error
            }
            return PDFCatalogEditor.addingLanguage("en", to: finished)
        }
    }

    // MARK: - Layout

    private static func style(_ family: String, weight: Int) -> TextStyle {
        TextStyle(
            family: family,
            weight: weight,
            italic: false,
            size: 10,
            minimumSize: 10,
            color: Self.ink,
            alignment: .left,
            verticalAlignment: .top,
            letterSpacing: 0,
            lineSpacing: 0,
            features: nil
        )
    }

    /// Sets the layout's text, size and wrapping width (nil: one line per paragraph); returns its logical size.
    @discardableResult
    private func prepare(_ layout: TextLayout, _ text: String, size: Double, width: Double?) -> Rect {
        layout.setText(text)
        layout.setSize(size)
        layout.setWrapWidth(width)
        return layout.extents.logical
    }

    private func headerLines(_ record: ProgramRecord) -> [HeaderLine] {
        var lines = [
            HeaderLine(layout: self.small, text: record.program.organisation, size: 9, color: Self.muted, gap: 4),
            HeaderLine(layout: self.title, text: record.program.title, size: 22, color: Self.ink, gap: 4),
        ]
        if let type = record.program.type {
            lines.append(HeaderLine(layout: self.body, text: type, size: 10, color: Self.muted, gap: 12))
        }
        lines += [
            HeaderLine(layout: self.small, text: "Learner", size: 8, color: Self.muted, gap: 0),
            HeaderLine(layout: self.heading, text: record.learnerName, size: 14, color: Self.ink, gap: 8),
            HeaderLine(layout: self.bodyBold, text: record.summary, size: 10, color: Self.ink, gap: 0),
        ]
        return lines
    }

    /// Where the table starts on the first page.
    private func headerBottom(_ record: ProgramRecord) -> Double {
        let text = self.headerLines(record).reduce(0) { total, line in
            total + self.prepare(line.layout, line.text, size: line.size, width: Self.headerTextWidth).height
                + line.gap
        }
        return Self.margin + max(text, Self.qrSize + 14) + 18
    }

    /// The heading of the pages after the first.
    private func continuationHeading(_ record: ProgramRecord) -> String {
        "Program record, continued: \(record.program.title) · \(record.learnerName)"
    }

    /// Where the table starts on the pages after the first, below their heading (which may wrap).
    private func continuationBottom(_ record: ProgramRecord) -> Double {
        let heading = self.prepare(self.body, self.continuationHeading(record), size: 10, width: Self.contentWidth)
        return Self.margin + heading.height + 12
    }

    private var tableHeaderHeight: Double {
        self.prepare(self.bodyBold, "Course", size: 10, width: nil).height + 2 * Self.cellPadding
    }

    private func rowHeight(_ course: ProgramRecord.Course) -> Double {
        let width = Self.columnWidths[1] - 2 * Self.cellPadding
        let title = self.prepare(self.body, course.title, size: 10, width: width).height
        let line = self.prepare(self.body, "0", size: 10, width: nil).height
        return max(title, line) + 2 * Self.cellPadding
    }

    /// The rows on each page. The first page's table starts at `firstTableTop`, the others' at `continuationTop`;
    /// the totals go under the last row. A page holds at least one row, so a very tall row cannot stop
    /// the pagination.
    private func paginate(_ heights: [Double], firstTableTop: Double, continuationTop: Double) -> [Range<Int>] {
        let bottom = Self.pageHeight - Self.margin - Self.footerHeight
        let totals = self.prepare(self.bodyBold, "0", size: 10, width: nil).height + 14
        var pages: [Range<Int>] = []
        var start = 0
        var y = firstTableTop + self.tableHeaderHeight
        for (index, height) in heights.enumerated() {
            let needed = height + (index == heights.count - 1 ? totals : 0)
            if index > start, y + needed > bottom {
                pages.append(start..<index)
                start = index
                y = continuationTop + self.tableHeaderHeight
            }
            y += height
        }
        pages.append(start..<heights.count)
        return pages
    }

    // MARK: - Drawing

    /// Draws the first page's header and returns where the table starts.
    private func drawHeader(_ record: ProgramRecord, on context: CairoContext) -> Double {
        var y = Self.margin
        for line in self.headerLines(record) {
            let size = self.prepare(line.layout, line.text, size: line.size, width: Self.headerTextWidth)
            self.draw(line.layout, color: line.color, x: Self.margin, y: y, on: context)
            y += size.height + line.gap
        }
        return Self.margin + max(y - Self.margin, Self.qrSize + 14) + 18
    }

    private func drawQR(_ qr: QRMatrix, url: String, on context: CairoContext) throws {
        let box = Rect(
            x: Self.pageWidth - Self.margin - Self.qrSize,
            y: Self.margin - 8,
            width: Self.qrSize,
            height: Self.qrSize
        )
        let block = QRBlock(box: box, level: .medium, color: Self.ink, background: .white, drawing: .mask)
        try context.withLink(to: url) {
            try QRPainter.draw(qr, in: block, on: context)
        }
        self.prepare(self.small, "Scan to view this record online", size: 7, width: Self.qrSize)
        self.draw(self.small, color: Self.muted, x: box.x, y: box.maxY + 2, on: context)
    }

    /// Draws the heading of a continuation page and returns where the table starts.
    private func drawContinuationHeader(_ record: ProgramRecord, on context: CairoContext) -> Double {
        self.prepare(self.body, self.continuationHeading(record), size: 10, width: Self.contentWidth)
        self.draw(self.body, color: Self.muted, x: Self.margin, y: Self.margin, on: context)
        return self.continuationBottom(record)
    }

    /// Draws the table's header row and returns where the first row starts.
    private func drawTableHeader(at y: Double, on context: CairoContext) -> Double {
        let height = self.tableHeaderHeight
        context.setColor(Self.headerFill)
        context.rectangle(Self.margin, y, Self.contentWidth, height)
        context.fill()
        for (title, x) in zip(Self.columnTitles, self.columnStarts) {
            self.prepare(self.bodyBold, title, size: 10, width: nil)
            self.draw(self.bodyBold, color: Self.ink, x: x + Self.cellPadding, y: y + Self.cellPadding, on: context)
        }
        self.drawRule(at: y + height, color: Self.muted, on: context)
        return y + height
    }

    private func drawRow(_ course: ProgramRecord.Course, at y: Double, height: Double, on context: CairoContext) {
        let top = y + Self.cellPadding
        let x = self.columnStarts.map { $0 + Self.cellPadding }
        self.prepare(self.body, String(course.position), size: 10, width: nil)
        self.draw(self.body, color: Self.muted, x: x[0], y: top, on: context)

        self.prepare(self.body, course.title, size: 10, width: Self.columnWidths[1] - 2 * Self.cellPadding)
        if let url = course.verificationURL {
            context.withLink(to: url) { self.draw(self.body, color: Self.ink, x: x[1], y: top, on: context) }
        } else {
            self.draw(self.body, color: Self.ink, x: x[1], y: top, on: context)
        }

        let statusColor: RGBAColor =
            switch course.status {
            case .earned: Self.earnedColor
            case .revoked: Self.revokedColor
            case .notEarned: Self.muted
            }
        self.prepare(self.bodyBold, course.status.label, size: 10, width: nil)
        self.draw(self.bodyBold, color: statusColor, x: x[2], y: top, on: context)
        self.prepare(self.body, course.grade ?? "–", size: 10, width: nil)
        self.draw(self.body, color: Self.ink, x: x[3], y: top, on: context)
        self.prepare(self.body, course.completedOn?.description ?? "–", size: 10, width: nil)
        self.draw(self.body, color: Self.ink, x: x[4], y: top, on: context)
        self.drawRule(at: y + height, color: Self.rule, on: context)
    }

    private func drawTotals(_ record: ProgramRecord, at y: Double, on context: CairoContext) {
        self.prepare(self.bodyBold, "Total: \(record.summary)", size: 10, width: Self.contentWidth)
        self.draw(self.bodyBold, color: Self.ink, x: Self.margin, y: y + 10, on: context)
    }

    private func drawFooter(url: String?, page: Int, of pages: Int, on context: CairoContext) {
        let y = Self.pageHeight - Self.margin - 10
        self.drawRule(at: y - 6, color: Self.rule, on: context)
        if let url {
            self.prepare(self.small, url, size: 8, width: Self.contentWidth - 80)
            context.withLink(to: url) { self.draw(self.small, color: Self.muted, x: Self.margin, y: y, on: context) }
        }
        let width = self.prepare(self.small, "Page \(page) of \(pages)", size: 8, width: nil).width
        self.draw(self.small, color: Self.muted, x: Self.pageWidth - Self.margin - width, y: y, on: context)
    }

    private var columnStarts: [Double] {
        var starts: [Double] = []
        var x = Self.margin
        for width in Self.columnWidths {
            starts.append(x)
            x += width
        }
        return starts
    }

    private func drawRule(at y: Double, color: RGBAColor, on context: CairoContext) {
        context.setColor(color)
        context.setLineWidth(0.5)
        context.moveTo(Self.margin, y)
        context.lineTo(Self.margin + Self.contentWidth, y)
        context.stroke()
    }

    /// Draws what `prepare` last set on the layout, with its top-left corner at (x, y).
    private func draw(_ layout: TextLayout, color: RGBAColor, x: Double, y: Double, on context: CairoContext) {
        context.setColor(color)
        layout.draw(on: context, x: x, y: y)
    }
}
