"""Small but valid files of the formats intake refuses, built with the standard library (or,
where it has no writer, laid out byte by byte after the format's specification)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sqlite3
import struct
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

PAGE_TEXT = "Ministers agreed on Monday to raise the defence budget by 2 percent."


def pdf(text: str = PAGE_TEXT) -> bytes:
    """A one-page PDF whose every byte is printable ASCII (uncompressed content stream)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)  # 2x2, 8-bit RGB
    rows = b"".join(b"\x00" + b"\xc0\x10\x10" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A 1x1 grey baseline JPEG: quantisation and Huffman tables, one all-zero block."""
    quant = b"\xff\xdb\x00\x43\x00" + b"\x01" * 64
    frame = b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    dc = b"\xff\xc4\x00\x14\x00" + b"\x01" + b"\x00" * 15 + b"\x00"
    ac = b"\xff\xc4\x00\x14\x10" + b"\x01" + b"\x00" * 15 + b"\x00"
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x3f"  # DC 0, end of block
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + quant + frame + dc + ac + scan + b"\xff\xd9"


def gif() -> bytes:
    """A 1x1 GIF89a with a two-colour table."""
    screen = struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return b"GIF89a" + screen + image + b"\x3b"


def webp() -> bytes:
    """A 1x1 lossless WebP (VP8L)."""
    bitstream = b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07"
    chunk = b"VP8L" + struct.pack("<I", len(bitstream)) + bitstream + b"\x00"  # pad to even
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def tiff() -> bytes:
    """A 1x1 8-bit greyscale TIFF, little-endian, uncompressed."""
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1)]
    entries += [(273, 4, 1, 8 + 2 + 12 * 8 + 4), (278, 3, 1, 1), (279, 4, 1, 1)]
    ifd = struct.pack("<H", len(entries))
    ifd += b"".join(struct.pack("<HHII", *entry) for entry in entries) + b"\x00" * 4
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x80"


def bmp() -> bytes:
    """A 1x1 24-bit BMP."""
    pixels = b"\x10\x10\xc0\x00"  # one pixel, padded to four bytes
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 54) + info + pixels


def ico() -> bytes:
    """An icon holding one PNG image, as Windows Vista and later write them."""
    image = png()
    entry = struct.pack("<BBBBHHII", 2, 2, 0, 0, 1, 32, len(image), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + entry + image


def _zip(members: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_archive() -> bytes:
    return _zip([("article.txt", PAGE_TEXT)])


def docx() -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    body = f"<w:document><w:body><w:p><w:r><w:t>{PAGE_TEXT}</w:t></w:r></w:p></w:body></w:document>"
    return _zip([("[Content_Types].xml", types), ("word/document.xml", body)])


def epub() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The spec: "mimetype" first and stored, so its content sits at a fixed offset.
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", "<container/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def tar_archive() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        data = PAGE_TEXT.encode()
        member = tarfile.TarInfo("article.txt")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def seven_zip() -> bytes:
    """An empty 7z archive: the signature header pointing at no next header."""
    start = struct.pack("<QQI", 0, 0, 0)
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + struct.pack("<I", zlib.crc32(start)) + start


def rar() -> bytes:
    """An empty RAR5 archive: signature, main archive header, end of archive header."""

    def header(body: bytes) -> bytes:
        sized = bytes([len(body)]) + body
        return struct.pack("<I", zlib.crc32(sized)) + sized

    return b"Rar!\x1a\x07\x01\x00" + header(b"\x01\x00\x00") + header(b"\x05\x00\x00")


def zstd() -> bytes:
    """A Zstandard frame holding one raw (stored) block."""
    data = PAGE_TEXT.encode()
    descriptor = b"\x20" + bytes([len(data)])  # single segment, 1-byte content size
    block = struct.pack("<I", (len(data) << 3) | 1)[:3]  # raw block, last
    return b"\x28\xb5\x2f\xfd" + descriptor + block + data


def ole() -> bytes:
    """A compound file (the container of .doc, .xls, .msg) with only its root entry."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126
    name = "Root Entry".encode("utf-16-le") + b"\x00\x00"
    root = name.ljust(64, b"\x00") + struct.pack("<HBB", len(name), 5, 1)
    root += struct.pack("<III", free, free, free) + b"\x00" * 36
    root += struct.pack("<IQ", end, 0)
    directory = root + b"\x00" * (512 - len(root))
    return header + fat + directory


def sqlite(tmp_path: Path) -> bytes:
    path = tmp_path / "articles.db"
    with sqlite3.connect(path) as connection:
        connection.execute("create table articles (text)")
        connection.execute("insert into articles values (?)", (PAGE_TEXT,))
    connection.close()
    return path.read_bytes()


def elf() -> bytes:
    """The head of this Python interpreter's own executable (ELF on Linux)."""
    return Path(sys.executable).resolve().read_bytes()[:65536]


# Each format, the builder of a real file in it, and what the reject reason names it.
BUILDERS: dict[str, tuple[Callable[[], bytes], str]] = {
    "pdf": (pdf, "PDF document"),
    "png": (png, "PNG image"),
    "jpeg": (jpeg, "JPEG image"),
    "gif": (gif, "GIF image"),
    "webp": (webp, "WebP image"),
    "tiff": (tiff, "TIFF image"),
    "bmp": (bmp, "BMP image"),
    "ico": (ico, "ICO image"),
    "zip": (zip_archive, "ZIP archive (or a format built on it: docx, xlsx, pptx, odt)"),
    "docx": (docx, "ZIP archive (or a format built on it: docx, xlsx, pptx, odt)"),
    "epub": (epub, "EPUB e-book"),
    "gzip": (lambda: gzip.compress(PAGE_TEXT.encode()), "gzip-compressed file"),
    "bzip2": (lambda: bz2.compress(PAGE_TEXT.encode()), "bzip2-compressed file"),
    "xz": (lambda: lzma.compress(PAGE_TEXT.encode()), "xz-compressed file"),
    "7z": (seven_zip, "7-Zip archive"),
    "rar": (rar, "RAR archive"),
    "zstd": (zstd, "Zstandard-compressed file"),
    "tar": (tar_archive, "tar archive"),
    "ole": (ole, "OLE2 Office document (doc, xls, ppt, msg)"),
}
