#!/usr/bin/env python3
"""Writes the synthesized seed and regression inputs of the fuzz corpora (the real decks are copied by hand).

Run from the repository root: python3 Fuzz/seeds.py. Each file is small; together with the copied decks each
corpus stays under 300 KB.
"""
import struct
import zlib
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
CONTENT_TYPES = (b'<Types><Override PartName="/ppt/presentation.xml" ContentType="application/'
                 b'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>')


def zip_archive(entries, declared_count=None):
    """Stored or deflated members; an entry is (name, data, deflate, overrides) where overrides may set
    compressed, uncompressed, offset and extra in the central directory."""
    out, central = b"", b""
    for name, data, deflate, over in entries:
        name = name.encode()
        payload = zlib.compress(data, 9)[2:-4] if deflate else data
        crc = zlib.crc32(data)
        method = 8 if deflate else 0
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(payload), len(data),
                           len(name), 0) + name + payload
        extra = over.get("extra", b"")
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0x21, crc,
                               over.get("compressed", len(payload)), over.get("uncompressed", len(data)),
                               len(name), len(extra), 0, 0, 0, 0, over.get("offset", offset)) + name + extra
    count = len(entries) if declared_count is None else declared_count
    return out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(out), 0)


def package(slides, listing=None):
    """A minimal .pptx: `slides` is a list of hidden flags, `listing` the slide indexes the slide list names."""
    listing = range(len(slides)) if listing is None else listing
    ids = "".join(f'<p:sldId id="{256 + i}" r:id="rId{i + 1}"/>' for i in listing)
    rels = "".join(f'<Relationship Id="rId{i + 1}" Target="slides/slide{i + 1}.xml"/>' for i in range(len(slides)))
    entries = [
        ("[Content_Types].xml", CONTENT_TYPES, False, {}),
        ("_rels/.rels", b'<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/>'
                        b'</Relationships>', False, {}),
        ("ppt/presentation.xml", f"<p:presentation><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz/></p:presentation>"
         .encode(), True, {}),
        ("ppt/_rels/presentation.xml.rels", f"<Relationships>{rels}</Relationships>".encode(), False, {}),
    ]
    for i, hidden in enumerate(slides):
        show = b' show="0"' if hidden else b""
        entries.append((f"ppt/slides/slide{i + 1}.xml", b"<p:sld" + show + b"><p:cSld/></p:sld>", True, {}))
    return zip_archive(entries)


def zip64_offset():
    """The 200-byte .pptx of issue 19: a ZIP64 field puts the local header at 2^64-1."""
    return zip_archive([("[Content_Types].xml", b"<Types/>", False,
                         {"offset": 0xFFFFFFFF, "extra": struct.pack("<HHQ", 1, 8, 2**64 - 1)})])


def zip64_sizes():
    """ZIP64 sizes of 2^64-1: the inspector's running totals overflowed."""
    huge = {"compressed": 0xFFFFFFFF, "uncompressed": 0xFFFFFFFF,
            "extra": struct.pack("<HHQQ", 1, 16, 2**64 - 1, 2**64 - 1)}
    return zip_archive([("[Content_Types].xml", CONTENT_TYPES, False, {}), ("a.bin", b"x", False, huge),
                        ("b.bin", b"y", False, huge)])


def compound(shift, fat_sector_count, first_directory, header_difat, sectors, sector_count,
             first_minifat=END, first_difat=END):
    size = 1 << shift
    header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(16)
    header += struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3 if shift == 9 else 4, 0xFFFE, shift, 6, 0,
                          fat_sector_count, first_directory, 0, 4096, first_minifat, 0, first_difat, 0)
    header += b"".join(struct.pack("<I", header_difat[i] if i < len(header_difat) else FREE) for i in range(109))
    header += bytes(size - len(header))
    body = b"".join(sectors.get(i, b"").ljust(size, b"\0") for i in range(sector_count))
    return header + body


def table(entries, size=512):
    return b"".join(struct.pack("<I", e) for e in entries + [FREE] * (size // 4 - len(entries)))


def self_pointing_difat():
    """Issue 19's .ppt, scaled down: every DIFAT entry names FAT sector 0, DIFAT sector 1 names itself as next,
    and FAT entry 0 points at itself (the 2 MiB original made the reader grow to 2.1 GB)."""
    fat = [0] + [FREE] * 127
    return compound(9, 50, 0, [0] * 109, {0: table(fat), 1: table([0] * 127 + [1])}, 60, first_difat=1)


def directory_entry(name, kind, start, size):
    units = name.encode("utf-16-le")
    return (units.ljust(64, b"\0") + struct.pack("<HBB", len(units) + 2, kind, 1)
            + struct.pack("<III", FREE, FREE, FREE) + bytes(36) + struct.pack("<II", start, size) + bytes(4))


def looping_mini_chain():
    """A stream in the mini stream whose mini-FAT entry points at itself."""
    fat = [FATSECT, END, END, END]
    directory = directory_entry("Root Entry", 5, 2, 128) + directory_entry("Current User", 2, 0, 100)
    return compound(9, 1, 1, [0], {0: table(fat), 1: directory, 3: table([0])}, 4, first_minifat=3)


def pdf(pages, trailer=True):
    objects = "".join(f"{i + 3} 0 obj <</Type /Page /Parent 2 0 R>> endobj\n" for i in range(pages))
    text = f"%PDF-1.6\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Count {pages}>> endobj\n"
    return (text + objects + ("trailer <</Root 1 0 R>>\n%%EOF\n" if trailer else "")).encode()


def write(target, name, data):
    (FUZZ / target / "corpus" / name).write_bytes(data)


write("ZipArchive", "seed-minimal.pptx", package([False, True]))
write("ZipArchive", "regression-zip64-offset.pptx", zip64_offset())
write("ZipArchive", "regression-zip64-sizes.pptx", zip64_sizes())
write("CompoundFile", "regression-self-pointing-difat.ppt", self_pointing_difat())
write("CompoundFile", "regression-looping-mini-chain.ppt", looping_mini_chain())
write("PDFInspector", "seed-two-pages.pdf", pdf(2))
write("PDFInspector", "seed-no-trailer.pdf", pdf(1, trailer=False))
write("PDFInspector", "seed-pages-only.pdf", b"%PDF-1.4\n<</Type/Pages/Count 0>>\n%%EOF")
write("DeckInspector", "seed-minimal.pptx", package([False, True, False]))
write("DeckInspector", "regression-repeated-slide.pptx", package([False], listing=[0] * 5_000))
write("DeckInspector", "regression-zip64-offset.pptx", zip64_offset())
write("DeckInspector", "regression-zip64-sizes.pptx", zip64_sizes())
write("DeckInspector", "regression-self-pointing-difat.ppt", self_pointing_difat())
