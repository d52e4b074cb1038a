// Attest — certificates and documents you can verify. Apache-2.0.

internal import CMalloc

/// Process-wide allocator settings for processes that render certificates.
///
/// Every PDF makes Cairo and zlib allocate and free a few 64 KB blocks (deflate state) and, for some fonts,
/// larger ones. With glibc's defaults, freeing them shrinks the heap and the next certificate faults the pages
/// back in; keeping them costs a few megabytes and saves about 15 % of the CPU time per certificate.
enum MallocTuning {
    static func applyForRendering() {
        #if os(Linux)
            _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
            _ = mallopt(M_TOP_PAD, 16 << 20)
            _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        #endif
    }
}
