"""Turn an inbox file's bytes into text: is it HTML or plain text, is it text at all, and in
which encoding; and decode it again, the same way, when a later stage re-reads it.

Detection reads the content, never the file name, and a file that is not text is refused
with the reason (`RejectedDocument`), so intake can quarantine it instead of failing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

# Tags that only appear in markup. Detection looks at content, never at the file name: seed
# files named .txt may hold HTML fragments.
_HTML_TAG = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|p|div|span|article|section|br|a\s+href|script|"
    rb"meta|title|h[1-6]|ul|ol|li|figure|img|table|amp-ad)\b",
    re.IGNORECASE,
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


class RejectedDocument(ValueError):
    """A file that cannot become a document; the message is the reject reason."""


def detect_format(data: bytes) -> str:
    # Two tags decide it: stop there instead of listing every tag of the first 64 KB.
    tags = _HTML_TAG.finditer(data, 0, 65536)
    return "html" if next(tags, None) and next(tags, None) else "text"


# Control bytes other than tab, newline, form feed and carriage return.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    # Counted in C (bytes.translate), not byte by byte in Python: this runs on every file.
    control = len(sample) - len(sample.translate(None, _CONTROL))
    return control / max(len(sample), 1) > 0.05


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding), or raise RejectedDocument saying why the bytes are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise RejectedDocument(
                    f"undecodable: invalid {encoding} after BOM ({exc.reason})"
                ) from exc
    if _looks_binary(data):
        raise RejectedDocument("binary content: NUL or control bytes, not a text or HTML document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(name), name.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if not matches:
        raise RejectedDocument("undecodable: not UTF-8 and no text encoding fits the bytes")
    best = matches[0]
    # Short samples fit many code pages equally well; like browsers, prefer windows-1252
    # (a superset of Latin-1) among the equally clean candidates.
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            best = match
            break
    encoding = "cp1252" if "cp1252" in best.could_be_from_charset else best.encoding
    try:
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError) as exc:
        raise RejectedDocument(
            f"undecodable: guessed {encoding} but decoding failed ({exc})"
        ) from exc


def load_text(path: str, encoding: str, content_sha256: str) -> str:
    """Re-read a document for processing; a file changed since intake is an error, not data."""
    data = Path(path).read_bytes()
    if hashlib.sha256(data).hexdigest() != content_sha256:
        raise RejectedDocument("file changed during the run (content hash differs); rerun")
    if encoding in ("utf-16",):
        return data.decode("utf-16")
    return data.decode("utf-8-sig" if data.startswith(_BOMS[0][0]) else encoding)
