from __future__ import annotations

import pytest

from newsfacts.intake.formats import RejectedDocument, decode, detect_format
from tests.helpers import SEEDS


def test_format_is_detected_from_content_not_extension() -> None:
    formats = {p.name[:3]: detect_format(p.read_bytes()) for p in SEEDS.iterdir()}
    assert formats == {"000": "html", "001": "text", "002": "text", "003": "text", "004": "text"}


def test_utf16_and_latin1_text_decode() -> None:
    text = "Zürich – Kyiv’s “defence” budget"
    assert decode(text.encode("utf-16")) == (text, "utf-16")
    latin = "Ministre de la Défense à Paris, réunion élargie des ministres européens."
    decoded, encoding = decode(latin.encode("latin-1"))
    assert decoded == latin
    assert encoding.lower().replace("_", "-") in {"latin-1", "iso-8859-1", "cp1252", "windows-1252"}


def test_binary_is_not_text() -> None:
    with pytest.raises(RejectedDocument, match="binary"):
        decode(b"\x00\x01\x02PNG\x00\x00")
