from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import newsfacts.intake.inbox as documents_module
from newsfacts.intake.inbox import read_inbox
from newsfacts.intake.manifest import read_manifest
from newsfacts.runtime.stat_cache import StatCache
from tests.helpers import SEED_MANIFEST, SEEDS


def test_seed_inbox_reads_cleanly_with_stable_ids() -> None:
    docs, rejects = read_inbox(SEEDS)
    again, _ = read_inbox(SEEDS)
    assert rejects == []
    assert len(docs) == 5
    assert [d.article_id for d in docs] == [d.article_id for d in again]
    assert all(len(d.article_id) == 16 for d in docs)
    assert docs[0].article_id == docs[0].content_sha256[:16]


def test_unchanged_files_are_not_read_again_but_rewritten_ones_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    stat_file = tmp_path / "cache" / "intake_stat.json"
    reads: list[str] = []
    real_read = documents_module.read_document

    def counting_read(path: Path, source_file: str, max_bytes: int) -> documents_module.Document:
        reads.append(source_file)
        return real_read(path, source_file, max_bytes)

    monkeypatch.setattr(documents_module, "read_document", counting_read)
    first_cache = StatCache(stat_file)
    first, _ = read_inbox(inbox, known=first_cache)
    first_cache.save()
    assert len(reads) == 5

    reads.clear()
    second, _ = read_inbox(inbox, known=StatCache(stat_file))
    assert reads == []
    assert second == first

    # Same size, modification time set back: the change time still gives the rewrite away.
    target = inbox / first[1].source_file
    stat = target.stat()
    data = target.read_bytes()
    target.write_bytes(data.replace(b"e", b"E", 1))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reads.clear()
    third, _ = read_inbox(inbox, known=StatCache(stat_file))
    assert reads == [first[1].source_file]
    assert third[1].content_sha256 != first[1].content_sha256
    assert [d.content_sha256 for d in third if d.source_file != target.name] == [
        d.content_sha256 for d in first if d.source_file != target.name
    ]

    # A lower size limit applies to known files too.
    _, rejects = read_inbox(inbox, max_bytes=100, known=StatCache(stat_file))
    assert {r["reason"][:9] for r in rejects} == {"too large"}


def test_bad_files_are_rejected_with_specific_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\n ")
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 3)
    (tmp_path / "big.html").write_bytes(b"<p>" + b"a" * 2000 + b"</p>")
    (tmp_path / "good.txt").write_text("A sentence of real text.\n")
    docs, rejects = read_inbox(tmp_path, max_bytes=1000)
    reasons = {r["source_file"]: r["reason"] for r in rejects}
    assert [d.source_file for d in docs] == ["good.txt"]
    assert reasons["empty.txt"] == "empty file (0 bytes)"
    assert reasons["blank.html"].startswith("empty document")
    assert reasons["junk.bin"].startswith("binary content")
    assert reasons["big.html"].startswith("too large")


def test_exact_duplicate_files_are_rejected_not_double_counted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same words in two files.\n")
    (tmp_path / "b.txt").write_text("Same words in two files.\n")
    docs, rejects = read_inbox(tmp_path)
    assert len(docs) == 1
    assert rejects[0]["reason"] == "exact duplicate of a.txt"


def test_seed_manifest_dates() -> None:
    manifest, rejects = read_manifest(SEED_MANIFEST)
    assert rejects == []
    dates = {row["source_file"][:3]: str(row["published_at"]) for row in manifest.to_dicts()}
    assert dates == {
        "000": "2025-08-29",
        "001": "2025-08-29",
        "002": "2025-08-28",
        "003": "2025-08-29",
        "004": "2025-08-29",
    }


def test_manifest_rows_outside_inbox_or_with_bad_dates_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "source_file,outlet,url,published_at\n"
        "../../etc/passwd,Evil,,2025-01-01\n"
        "/etc/shadow,Evil,,2025-01-01\n"
        "a.txt,Good Outlet,https://example.org/a,31/08/2025\n"
    )
    manifest, rejects = read_manifest(path)
    reasons = [r["reason"] for r in rejects]
    assert any("'../../etc/passwd' is not a path inside the inbox" in r for r in reasons)
    assert any("'/etc/shadow' is not a path inside the inbox" in r for r in reasons)
    assert any("'31/08/2025' is not an ISO date" in r for r in reasons)
    assert manifest["source_file"].to_list() == ["a.txt"]
    assert manifest["published_at"].to_list() == [None]
    assert manifest["outlet"].to_list() == ["Good Outlet"]


def test_manifest_rows_for_missing_files_are_rejected(tmp_path: Path) -> None:
    from tests.helpers import copy_seeds, materialize_all

    inbox = copy_seeds(tmp_path / "inbox")
    with (inbox / "manifest.csv").open("a") as manifest:
        manifest.write("gone.txt,Some Outlet,,2025-08-29,\n")
    result = materialize_all(inbox, tmp_path / "data")
    assert result.success
    import duckdb

    con = duckdb.connect(str(tmp_path / "data" / "catalog.duckdb"), read_only=True)
    rows = con.execute("select stage, reason from rejects where source_file = 'gone.txt'")
    assert rows.fetchall() == [("manifest", "manifest row names a file that is not in the inbox")]
