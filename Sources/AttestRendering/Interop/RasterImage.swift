// Attest — certificates and documents you can verify. Apache-2.0.

internal import CCairo

/// The pixels of a PNG image, decoded by Cairo; used to compare previews with golden images.
package struct RasterImage: Sendable, Equatable {
    package let width: Int
    package let height: Int
    /// Row-major ARGB (premultiplied), one `UInt32` per pixel.
    package let pixels: [UInt32]

    package init(png bytes: [UInt8]) throws {
        let surface = try CairoSurface.png(bytes)
        cairo_surface_flush(surface.pointer)
        let format = cairo_image_surface_get_format(surface.pointer)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else {
            throw RenderError(.cairo, "the PNG image is not RGB or RGBA")
        }
        let (width, height) = surface.imageSize
        let stride = Int(cairo_image_surface_get_stride(surface.pointer))
        let data = cairo_image_surface_get_data(surface.pointer)!
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        for row in 0..<height {
            let line = UnsafeRawPointer(data + row * stride)
            for column in 0..<width {
                var pixel = line.loadUnaligned(fromByteOffset: column * 4, as: UInt32.self)
                if format == CAIRO_FORMAT_RGB24 { pixel |= 0xFF00_0000 }
                pixels.append(pixel)
            }
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// How different two images of the same size are: the mean absolute difference per channel (0–255) and the
    /// fraction of pixels where some channel differs by more than `threshold`. Nil when the sizes differ.
    package func difference(from other: RasterImage, threshold: Int = 48) -> (
        meanAbsolute: Double, differingFraction: Double
    )? {
        guard self.width == other.width, self.height == other.height, !self.pixels.isEmpty else { return nil }
        var total = 0
        var differing = 0
        for (a, b) in zip(self.pixels, other.pixels) {
            var largest = 0
            for shift in stride(from: 0, to: 32, by: 8) {
                let delta = abs(Int((a >> UInt32(shift)) & 0xFF) - Int((b >> UInt32(shift)) & 0xFF))
                total += delta
                largest = max(largest, delta)
            }
            if largest > threshold { differing += 1 }
        }
        let count = Double(self.pixels.count)
        return (Double(total) / (count * 4), Double(differing) / count)
    }
}
