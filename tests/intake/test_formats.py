from __future__ import annotations

from pathlib import Path

import pip
import pytest

from newsfacts.intake.formats import RejectedDocument, decode, detect_format, load_text
from newsfacts.intake.inbox import read_document
from tests.helpers import SEEDS
from tests.intake import samples


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


# --- files that are not text: refused by their magic bytes ---------------------------------


@pytest.mark.parametrize("kind", sorted(samples.BUILDERS))
def test_file_formats_that_are_not_text_are_refused_by_name(kind: str) -> None:
    build, label = samples.BUILDERS[kind]
    with pytest.raises(RejectedDocument) as refused:
        decode(build())
    assert str(refused.value) == f"not text: {label}"


def test_ascii_only_pdf_is_refused_although_it_decodes_as_utf8() -> None:
    data = samples.pdf()
    assert all(32 <= b < 127 or b == 10 for b in data)
    with pytest.raises(RejectedDocument, match=r"^not text: PDF document$"):
        decode(data)


def test_sqlite_and_executables_are_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(RejectedDocument, match=r"^not text: SQLite database$"):
        decode(samples.sqlite(tmp_path))
    with pytest.raises(RejectedDocument, match=r"^not text: ELF executable$"):
        decode(samples.elf())


def test_windows_executable_is_refused_by_name() -> None:
    launcher = Path(pip.__file__).parent / "_vendor" / "distlib" / "t64.exe"
    if not launcher.is_file():
        pytest.skip(f"no Windows executable to test with ({launcher} is absent)")
    with pytest.raises(RejectedDocument, match=r"^not text: Windows executable$"):
        decode(launcher.read_bytes())


@pytest.mark.parametrize(
    "text",
    [
        "BMW said on Monday that sales rose 4 percent.",  # "BM": a bitmap's signature
        "MZ Bank reported higher profits.",  # "MZ": an executable's
        "ID3 protein levels rose in the trial group.",  # "ID3": an MP3's
        "RIFF talks resumed in Geneva.",  # "RIFF": WAV, AVI, WebP
        "GIF89a is the format of most animated images.",
        "βρέθηκε στην Αθήνα χθες το βράδυ.",  # "βρ" in UTF-8: a Brotli guess elsewhere
    ],
)
def test_text_starting_with_a_short_ascii_signature_is_still_text(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")


# --- UTF-32 and UTF-16, with and without a byte-order mark ---------------------------------

ZURICH = "Zürich – Kyiv’s “defence” budget rose to 4.2 billion francs, the council said."


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_with_bom_decodes_to_the_text(codec: str) -> None:
    assert decode(("\ufeff" + ZURICH).encode(codec)) == (ZURICH, "utf-32")


def test_utf32_html_page_is_read_as_html(tmp_path: Path) -> None:
    page = f"<!doctype html><html><head><title>Budget</title></head><body><p>{ZURICH}</p>"
    path = tmp_path / "page.txt"
    path.write_bytes(page.encode("utf-32"))  # with BOM, native order
    document = read_document(path, "page.txt")
    assert (document.format, document.encoding) == ("html", "utf-32")
    assert load_text(document.path, document.encoding, document.content_sha256) == page


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom_are_told_by_their_nul_bytes(codec: str) -> None:
    assert decode(ZURICH.encode(codec)) == (ZURICH, codec)
    russian = "Правительство объявило в среду о новом бюджете на 2025 год."
    assert decode(russian.encode(codec)) == (russian, codec)


def test_nul_pattern_that_is_not_valid_utf16_is_refused() -> None:
    data = ZURICH.encode("utf-16-le") + b"\x00\xd8" + ZURICH.encode("utf-16-le")
    with pytest.raises(RejectedDocument, match=r"^undecodable: NUL bytes in a utf-16-le pattern"):
        decode(data)


# --- NUL characters never reach the text ---------------------------------------------------


def test_nuls_after_the_first_8_kb_are_dropped(tmp_path: Path) -> None:
    paragraph = "The harbour reopened on Monday after the storm.\n"
    body = paragraph * 200  # ~10 KB
    assert len(body) > 8192
    data = body.encode() + b"\x00" * 16 + paragraph.encode() + b"\x00"
    text, encoding = decode(data)
    assert (text, encoding) == (body + paragraph, "utf-8")
    path = tmp_path / "padded.txt"
    path.write_bytes(data)
    document = read_document(path, "padded.txt")
    assert load_text(document.path, document.encoding, document.content_sha256) == text


def test_nul_characters_in_utf16_text_are_dropped() -> None:
    sentence = "The budget rose by 4 percent, the finance ministry said on Monday. "
    marked = "\ufeff" + sentence * 3 + "\x00" + sentence
    assert decode(marked.encode("utf-16-le")) == (sentence * 4, "utf-16")


def test_text_with_dense_nuls_is_refused() -> None:
    data = b"Budget rose. " * 1000 + b"\x00" * 1000
    with pytest.raises(
        RejectedDocument, match=r"^binary content: NUL characters are 7% of the text \(1,000\)"
    ):
        decode(data)
