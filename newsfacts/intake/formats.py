"""Turn an inbox file's bytes into text: is it HTML or plain text, is it text at all, and in
which encoding; and decode it again, the same way, when a later stage re-reads it.

Detection reads the content, never the file name, and a file that is not text is refused
with the reason (`RejectedDocument`), so intake can quarantine it instead of failing. In order:
a byte-order mark decides the encoding; UTF-16/32 without one is recognised by where its NUL
bytes fall; a format's magic bytes (PDF, images, archives, executables; see
`newsfacts.intake.sniff`) refuse the file; then control bytes, UTF-8, a declared charset and a
guess. NUL characters never reach the text: a few (padding, a damaged export) are dropped, and
a text with more than 1% of them is refused as binary.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from newsfacts.intake.sniff import CONTROL_BYTES, not_text_kind

# Tags that only appear in markup. Detection looks at content, never at the file name: seed
# files named .txt may hold HTML fragments.
_TAGS = (
    r"<\s*(?:!doctype\s+html|html|head|body|p|div|span|article|section|br|a\s+href|script|"
    r"meta|title|h[1-6]|ul|ol|li|figure|img|table|amp-ad)\b"
)
_HTML_TAG = re.compile(_TAGS.encode(), re.IGNORECASE)
_HTML_TAG_TEXT = re.compile(_TAGS, re.IGNORECASE)
# UTF-32 before UTF-16: the UTF-32 LE mark (FF FE 00 00) begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
# A text with more NUL characters than this share is binary, not text with stray NULs.
MAX_NUL_SHARE = 0.01


class RejectedDocument(ValueError):
    """A file that cannot become a document; the message is the reject reason."""


def detect_format(data: bytes | str) -> str:
    """Whether the document is "html" or "text", from the bytes of an 8-bit file or from the
    decoded text (UTF-16 and UTF-32 markup holds no ASCII tags to find in its bytes)."""
    pattern = _HTML_TAG_TEXT if isinstance(data, str) else _HTML_TAG
    # Two tags decide it: stop there instead of listing every tag of the first 64 KB.
    tags = pattern.finditer(data, 0, 65536)  # type: ignore[arg-type]
    return "html" if next(tags, None) and next(tags, None) else "text"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    # Counted in C (bytes.translate), not byte by byte in Python: this runs on every file.
    control = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return control / max(len(sample), 1) > 0.05


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by its NUL bytes: for the Latin,
    digits and punctuation of any article, the high byte(s) of each code unit are NUL and the
    low byte is not. Nothing is said when the pattern is not that clear."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    lanes = [sample[i::4].count(0) / (len(sample) // 4) for i in range(4)]
    if lanes[3] == 1 and lanes[2] >= 0.9 and lanes[0] <= 0.02:
        return "utf-32-le"
    if lanes[0] == 1 and lanes[1] >= 0.9 and lanes[3] <= 0.02:
        return "utf-32-be"
    even, odd = (lanes[0] + lanes[2]) / 2, (lanes[1] + lanes[3]) / 2
    if odd >= 0.1 and even <= 0.02:
        return "utf-16-le"
    if even >= 0.1 and odd <= 0.02:
        return "utf-16-be"
    return None


def _without_nul(text: str) -> str:
    nuls = text.count("\x00")
    if not nuls:
        return text
    if nuls > MAX_NUL_SHARE * len(text):
        raise RejectedDocument(
            f"binary content: NUL characters are {nuls / len(text):.0%} of the text "
            f"({nuls:,}), not a text or HTML document"
        )
    return text.replace("\x00", "")


def _decode_as(data: bytes, encoding: str) -> str:
    """The text of bytes in a known encoding, NUL characters dropped (or refused)."""
    codec = "utf-8-sig" if encoding == "utf-8" and data.startswith(_BOMS[0][0]) else encoding
    return _without_nul(data.decode(codec))


def _decode_marked(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _decode_as(data, encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise RejectedDocument(
                    f"undecodable: invalid {encoding} after BOM ({exc.reason})"
                ) from exc
    encoding = _wide_encoding(data)
    if encoding is None:
        return None
    try:
        text = _decode_as(data, encoding)
    except UnicodeDecodeError as exc:
        raise RejectedDocument(
            f"undecodable: NUL bytes in a {encoding} pattern without a BOM, but not valid "
            f"{encoding} ({exc.reason})"
        ) from exc
    if _looks_binary(text[:8192].encode("utf-8")):
        raise RejectedDocument(
            f"binary content: NUL bytes in a {encoding} pattern without a BOM, but control "
            "characters when decoded"
        )
    return text, encoding


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding), or raise RejectedDocument saying why the bytes are not text."""
    marked = _decode_marked(data)
    if marked is not None:
        return marked
    binary = _looks_binary(data)
    kind = not_text_kind(data, binary)
    if kind is not None:
        raise RejectedDocument(f"not text: {kind}")
    if binary:
        raise RejectedDocument("binary content: NUL or control bytes, not a text or HTML document")
    try:
        return _decode_as(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            return _decode_as(data, name), name.lower()
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
        return _decode_as(data, encoding), encoding
    except (LookupError, UnicodeDecodeError) as exc:
        raise RejectedDocument(
            f"undecodable: guessed {encoding} but decoding failed ({exc})"
        ) from exc


def load_text(path: str, encoding: str, content_sha256: str) -> str:
    """Re-read a document for processing; a file changed since intake is an error, not data."""
    data = Path(path).read_bytes()
    if hashlib.sha256(data).hexdigest() != content_sha256:
        raise RejectedDocument("file changed during the run (content hash differs); rerun")
    return _decode_as(data, encoding)
