"""Each manifest row stands on its own: a bad row is rejected with its reason, the rest kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsfacts.intake.manifest import MAX_FIELD_CHARS, read_manifest
from tests.helpers import SEED_MANIFEST

HEADER = b"source_file,outlet,url,published_at,title\n"


def _reasons(rejects: list[dict[str, object]]) -> dict[str, str]:
    return {str(r["source_file"]): str(r["reason"]) for r in rejects if r["stage"] == "manifest"}


def test_a_latin1_byte_and_an_oversized_field_reject_their_rows_only(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes(
        b"\xef\xbb\xbf"
        + HEADER
        + b"a.txt,BBC,https://www.bbc.co.uk/a,2025-01-03,Budget vote\n"
        + "b.txt,Le Monde,,2025-01-04,Café fermé\n".encode("latin-1")
        + b"c.txt,Reuters,,2025-01-05,"
        + b"T" * (MAX_FIELD_CHARS + 1)
        + b"\n"
        + b'd.txt,AP,,2025-01-06,"'
        + b"Z" * 200_000
        + b'"\n'
        + b"e.txt,AFP,,2025-01-07,Talks, resumed,today\n"
        + b"f.txt,Tagesschau,,2025-01-08,Hilfspaket,,\n"
        + "g.txt,Le Soir,,2025-01-09,Budget adopté\n".encode()
    )
    frame, rejects = read_manifest(manifest)
    assert frame.rows(named=True) == [
        {
            "source_file": "a.txt",
            "outlet": "BBC",
            "url": "https://www.bbc.co.uk/a",
            "published_at": date(2025, 1, 3),
            "title": "Budget vote",
        },
        {
            "source_file": "f.txt",
            "outlet": "Tagesschau",
            "url": None,
            "published_at": date(2025, 1, 8),
            "title": "Hilfspaket",
        },
        {
            "source_file": "g.txt",
            "outlet": "Le Soir",
            "url": None,
            "published_at": date(2025, 1, 9),
            "title": "Budget adopté",
        },
    ]
    assert _reasons(rejects) == {
        "b.txt": (
            "manifest.csv:3: 'title' is not UTF-8 (byte 0xE9); save the manifest as UTF-8 "
            "to use this row"
        ),
        "c.txt": "manifest.csv:4: 'title' is 4,097 characters long (limit 4,096)",
        "manifest.csv:5": (
            "manifest.csv:5: not readable as CSV (field larger than field limit (131072))"
        ),
        "e.txt": (
            "manifest.csv:6: 7 fields where the header has 5 (a comma in a value that is not "
            "quoted?)"
        ),
    }


def test_bad_bytes_in_a_column_the_manifest_does_not_define_are_not_read(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes(
        b"source_file,outlet,notes\n" + "a.txt,BBC,reçu\n".encode("latin-1") + b"b.txt,,\x00\n"
    )
    frame, rejects = read_manifest(manifest)
    assert frame["source_file"].to_list() == ["a.txt", "b.txt"]
    assert rejects == []


def test_a_nul_in_a_value_rejects_the_row(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes(HEADER + b"a.txt,B\x00BC,,,\nb.txt,AP,,,\n")
    frame, rejects = read_manifest(manifest)
    assert frame["source_file"].to_list() == ["b.txt"]
    assert _reasons(rejects) == {"a.txt": "manifest.csv:2: 'outlet' holds a NUL character"}


def test_the_seed_manifest_reads_whole() -> None:
    frame, rejects = read_manifest(SEED_MANIFEST)
    assert rejects == []
    assert frame.height == len(SEED_MANIFEST.read_text().splitlines()) - 1
