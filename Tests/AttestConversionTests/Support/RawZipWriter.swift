// Attest — certificates and documents you can verify. Apache-2.0.

/// Writes zip packages of stored members whose central directory says whatever a test wants (sizes, offsets, ZIP64
/// fields, member count), true or not: the raw material of hostile .pptx files.
enum RawZipWriter {
    /// One stored member; a field left nil is written with its true value.
    struct Entry {
        var name: String
        var data: [UInt8]
        var compressedSize: UInt32?
        var uncompressedSize: UInt32?
        var localHeaderOffset: UInt32?
        var extra: [UInt8] = []
    }

    /// Local headers and data, then the central directory and its end record (`declaredCount` members, when set).
    static func archive(_ entries: [Entry], declaredCount: UInt16? = nil) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let offset = UInt32(output.count)
            let size = UInt32(entry.data.count)
            output += ZipWriter.u32(0x0403_4B50) + ZipWriter.u16(20) + ZipWriter.u16(0) + ZipWriter.u16(0)
            output += ZipWriter.u16(0) + ZipWriter.u16(0x21) + ZipWriter.u32(0) + ZipWriter.u32(size)
            output += ZipWriter.u32(size) + ZipWriter.u16(UInt16(name.count)) + ZipWriter.u16(0) + name + entry.data
            central += ZipWriter.u32(0x0201_4B50) + ZipWriter.u16(45) + ZipWriter.u16(45) + ZipWriter.u16(0)
            central += ZipWriter.u16(0) + ZipWriter.u16(0) + ZipWriter.u16(0x21) + ZipWriter.u32(0)
            central += ZipWriter.u32(entry.compressedSize ?? size) + ZipWriter.u32(entry.uncompressedSize ?? size)
            central += ZipWriter.u16(UInt16(name.count)) + ZipWriter.u16(UInt16(entry.extra.count)) + ZipWriter.u16(0)
            central += ZipWriter.u16(0) + ZipWriter.u16(0) + ZipWriter.u32(0)
            central += ZipWriter.u32(entry.localHeaderOffset ?? offset) + name + entry.extra
        }
        let centralOffset = UInt32(output.count)
        let count = declaredCount ?? UInt16(entries.count)
        output += central
        output += ZipWriter.u32(0x0605_4B50) + ZipWriter.u16(0) + ZipWriter.u16(0) + ZipWriter.u16(count)
        output += ZipWriter.u16(count) + ZipWriter.u32(UInt32(central.count)) + ZipWriter.u32(centralOffset)
        output += ZipWriter.u16(0)
        return output
    }

    /// A ZIP64 extended-information extra field (id 0x0001) carrying `values` in order.
    static func zip64Extra(_ values: [UInt64]) -> [UInt8] {
        ZipWriter.u16(0x0001) + ZipWriter.u16(UInt16(8 * values.count))
            + values.flatMap { value in (0..<8).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) } }
    }
}
