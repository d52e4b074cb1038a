// Attest — certificates and documents you can verify. Apache-2.0.

/// Writes a minimal OLE compound file (version 3, 512-byte sectors) whose streams are all at least 4 KiB, so no
/// mini stream is needed. Enough to build the container of a password-protected OOXML document.
enum CompoundFileWriter {
    static func file(streams: [(name: String, data: [UInt8])]) -> [UInt8] {
        let sector = 512
        let endOfChain: UInt32 = 0xFFFF_FFFE
        let free: UInt32 = 0xFFFF_FFFF
        // Sector 0: FAT. Sector 1: directory (4 entries). Streams from sector 2.
        var fat = [UInt32](repeating: free, count: sector / 4)
        fat[0] = 0xFFFF_FFFD
        fat[1] = endOfChain
        var next = 2
        var starts: [Int] = []
        var data: [UInt8] = []
        for stream in streams {
            var bytes = stream.data
            precondition(bytes.count >= 4096)
            while bytes.count % sector != 0 { bytes.append(0) }
            let count = bytes.count / sector
            starts.append(next)
            for index in 0..<count { fat[next + index] = index == count - 1 ? endOfChain : UInt32(next + index + 1) }
            next += count
            data += bytes
        }
        precondition(next <= sector / 4)

        var directory = SectorFileWriter.directoryEntry("Root Entry", type: 5, start: endOfChain, size: 0, child: 1)
        for (index, stream) in streams.enumerated() {
            let right = index + 1 < streams.count ? UInt32(index + 2) : free
            directory += SectorFileWriter.directoryEntry(
                stream.name,
                type: 2,
                start: UInt32(starts[index]),
                size: UInt32(stream.data.count),
                right: right
            )
        }
        while directory.count < sector { directory += [UInt8](repeating: 0, count: 128) }

        var header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 16)
        header += ZipWriter.u16(0x003E) + ZipWriter.u16(3) + ZipWriter.u16(0xFFFE) + ZipWriter.u16(9) + ZipWriter.u16(6)
        header += [UInt8](repeating: 0, count: 6)
        header += ZipWriter.u32(0) + ZipWriter.u32(1) + ZipWriter.u32(1) + ZipWriter.u32(0) + ZipWriter.u32(4096)
        header += ZipWriter.u32(endOfChain) + ZipWriter.u32(0) + ZipWriter.u32(endOfChain) + ZipWriter.u32(0)
        header += ZipWriter.u32(0)
        for _ in 1..<109 { header += ZipWriter.u32(free) }
        precondition(header.count == 512)
        return header + fat.flatMap(ZipWriter.u32) + directory + data
    }
}
