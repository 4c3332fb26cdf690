"""Tell a file that is not text from its magic bytes, before any decoding is tried.

An ASCII-only PDF decodes as clean UTF-8 and a small GIF or bzip2 file may pass a control-byte
count, so decoding alone publishes them as articles. puremagic's signature table names the
format; which of its matches to believe is decided here, because the table also holds short
ASCII signatures that ordinary prose starts with ("BM" is a bitmap, "MZ" an executable, "ID3"
an MP3): such a signature counts only when the bytes are not text anyway.
"""

from __future__ import annotations

import puremagic

# Formats written in ASCII that are documents of their own, never an article's text: their
# signature counts even when every byte is printable (a PDF's body may be plain ASCII).
_TEXT_ENCODED = (b"%PDF-", b"%!PS-Adobe", b"{\\rtf")

# Control bytes other than tab, newline, form feed and carriage return: never in a text file
# (the decoder counts them to call a file binary).
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
# What no text signature holds: those control bytes, and DEL.
_NOT_IN_TEXT = CONTROL_BYTES + b"\x7f"

# The wording of the reject reason for the formats an inbox is likely to receive; other
# formats are named as puremagic names them.
_LABELS = {
    ".pdf": "PDF document",
    ".fdf": "PDF document",
    ".ps": "PostScript document",
    ".eps": "PostScript document",
    ".rtf": "RTF document",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".jfif": "JPEG image",
    ".gif": "GIF image",
    ".webp": "WebP image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".bmp": "BMP image",
    ".ico": "ICO image",
    # puremagic cannot tell a plain ZIP from Office Open XML, which is ZIP inside.
    ".zip": "ZIP archive (or a format built on it: docx, xlsx, pptx, odt)",
    ".docx": "ZIP archive (or a format built on it: docx, xlsx, pptx, odt)",
    ".xlsx": "ZIP archive (or a format built on it: docx, xlsx, pptx, odt)",
    ".pptx": "ZIP archive (or a format built on it: docx, xlsx, pptx, odt)",
    ".epub": "EPUB e-book",
    ".gz": "gzip-compressed file",
    ".bz2": "bzip2-compressed file",
    ".tar.bz2": "bzip2-compressed file",
    ".bzip2": "bzip2-compressed file",
    ".xz": "xz-compressed file",
    ".zst": "Zstandard-compressed file",
    ".7z": "7-Zip archive",
    ".rar": "RAR archive",
    ".tar": "tar archive",
    ".doc": "OLE2 Office document (doc, xls, ppt, msg)",
    ".xls": "OLE2 Office document (doc, xls, ppt, msg)",
    ".ppt": "OLE2 Office document (doc, xls, ppt, msg)",
    ".msg": "OLE2 Office document (doc, xls, ppt, msg)",
    ".exe": "Windows executable",
    ".dll": "Windows executable",
    ".elf": "ELF executable",
    ".sqlite": "SQLite database",
    ".db": "SQLite database",
}

# Enough for every header signature the table holds (the deepest, ISO 9660, ends at 32 KiB).
_HEAD_BYTES = 36 * 1024


def _cannot_start_text(magic: bytes) -> bool:
    """True for a signature no text file begins with: a control byte, or not UTF-8."""
    if magic.translate(None, _NOT_IN_TEXT) != magic:
        return True
    try:
        magic.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _label(extension: str, name: str) -> str:
    if extension in _LABELS:
        return _LABELS[extension]
    if name.startswith(("ELF", "SQLite")):
        return _LABELS[".elf"] if name.startswith("ELF") else _LABELS[".sqlite"]
    return name.strip() or f"{extension.lstrip('.')} file"


def not_text_kind(data: bytes, looks_binary: bool) -> str | None:
    """The format the bytes are in when its signature is to be believed, else None.

    `looks_binary` says whether the bytes fail the caller's control-byte test; it decides the
    signatures any text could start with. Only signatures at a fixed offset from the start
    count: the table's trailer signatures (an SVG's closing tag) match the end of text files.
    """
    try:
        matches = puremagic.magic_string(data[:_HEAD_BYTES])
    except (puremagic.PureError, ValueError):
        return None
    text_encoded = data.startswith(_TEXT_ENCODED)
    believed = [
        match
        for match in matches
        if match.offset >= 0
        and (
            looks_binary
            or _cannot_start_text(match.byte_match)
            or (text_encoded and match.offset == 0)
        )
        and not match.mime_type.startswith("text/")
    ]
    if not believed:
        return None
    # The table lists one signature under many programs' names (every OLE2 file matches
    # "Quattro Pro" too): the most likely of the common formats names it, if one matched.
    named = next((match for match in believed if match.extension in _LABELS), believed[0])
    return _label(named.extension, named.name)
