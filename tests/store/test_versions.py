"""Incremental rebuilds and version management, on the real pipeline."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from newsfacts.store.publish import list_versions
from pipelines.cli import main
from tests.helpers import copy_seeds, materialize_all, published_metadata

NEW_ARTICLE = (
    "Ukraine's foreign minister said on Monday that talks with European partners would resume "
    "in Brussels next week, after a night of drone attacks on Kharkiv that damaged homes. "
) * 3


def _articles_metadata(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    events = result.asset_materializations_for_node("articles")
    meta = next(e for e in events if e.asset_key.to_user_string() == "articles").metadata
    return {key: value.value for key, value in meta.items()}


def test_rebuild_after_one_new_document_extracts_only_that_document(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    first = materialize_all(inbox, data_dir)
    assert _articles_metadata(first)["documents_extracted"] == 5
    (inbox / "005_new.txt").write_text(NEW_ARTICLE)
    second = materialize_all(inbox, data_dir)
    meta = _articles_metadata(second)
    assert meta["documents_extracted"] == 1
    assert meta["documents_from_cache"] == 5
    assert published_metadata(second)["row_counts"]["articles"] == 6


@pytest.fixture()
def two_versions(tmp_path: Path) -> tuple[Path, str, str]:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    old = published_metadata(materialize_all(inbox, data_dir))["version"]
    (inbox / "005_new.txt").write_text(NEW_ARTICLE)
    new = published_metadata(materialize_all(inbox, data_dir))["version"]
    return data_dir, old, new


def test_versions_and_diff_show_the_added_article(
    two_versions: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, old, new = two_versions
    assert main(["versions", "--data-dir", str(data_dir)]) == 0
    listing = capsys.readouterr().out
    assert old in listing and new in listing
    assert listing.splitlines()[2].startswith("*")  # newest is latest
    assert main(["diff", old, new, "--data-dir", str(data_dir)]) == 0
    diff = capsys.readouterr().out
    assert "articles: +1 added, -0 removed, ~0 changed, 5 unchanged" in diff
    newest = next(m for m in list_versions(data_dir) if m["version"] == new)
    added_id = newest["input_documents"]["005_new.txt"][:16]
    assert f"+ {added_id}" in diff


def test_retention_keeps_the_newest_versions(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    for n in range(3):
        (inbox / f"extra_{n}.txt").write_text(NEW_ARTICLE + f" Update number {n}.")
        materialize_all(inbox, data_dir, keep_versions=2)
    versions = [m["version"] for m in list_versions(data_dir)]
    assert len(versions) == 2
    assert (data_dir / "published" / "latest").resolve().name == versions[-1]


def test_diff_compares_rows_on_shared_columns_when_a_release_adds_one(
    two_versions: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    import polars as pl

    from newsfacts.store.publish import published_dir

    data_dir, old, new = two_versions
    path = published_dir(data_dir) / old / "quotes.parquet"  # as an older release wrote it
    pl.read_parquet(path).drop("utterance_id").write_parquet(path)
    assert main(["diff", old, new, "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    quotes = next(i for i, line in enumerate(lines) if line.startswith("quotes:"))
    assert "~0 changed" in lines[quotes]
    assert lines[quotes + 1].strip() == "columns + utterance_id"
