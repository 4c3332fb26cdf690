"""The whole pipeline in-process: real Dagster, real files, real DuckDB over the catalog."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from newsfacts.store import publish
from newsfacts.store.publish import latest_version, list_versions
from tests.helpers import copy_seeds, materialize_all, published_metadata


def _tree_digest(root: Path) -> dict[str, str]:
    """Every file below root (symlinks by target) with its content hash."""
    digest = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        # Not published state: the instance, the build's work files, and `state/`, which
        # records a new document's first-seen day whether or not its build publishes.
        if rel.startswith(("dagster", "staging", "cache", "quality", "state", ".lock")):
            continue
        if path.is_symlink():
            digest[rel] = "-> " + str(path.readlink())
        elif path.is_file():
            digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path / "inbox")


def test_seeds_publish_five_articles_queryable_through_the_catalog(
    inbox: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    result = materialize_all(inbox, data_dir)
    assert result.success
    meta = published_metadata(result)
    assert meta["status"] == "published"
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)
    rows = con.execute(
        "select source_file, format, published_at::varchar, published_at_source, outlet "
        "from articles order by source_file"
    ).fetchall()
    assert [r[1] for r in rows] == ["html", "text", "text", "text", "text"]
    assert [r[2] for r in rows] == ["2025-08-29", "2025-08-29", "2025-08-28"] + ["2025-08-29"] * 2
    assert {r[3] for r in rows} == {"manifest"}
    assert rows[0][4] == "London Glossy Post"
    latest = data_dir / "published" / "latest"
    direct = duckdb.execute(f"select count(*) from read_parquet('{latest}/articles.parquet')")
    assert direct.fetchone() == (5,)
    manifest = list_versions(data_dir)[-1]
    assert manifest["row_counts"]["articles"] == 5
    assert set(manifest["input_documents"]) == {p.name for p in inbox.glob("*.txt")}
    assert manifest["code_version"]


def test_second_build_with_nothing_changed_publishes_no_new_version(
    inbox: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    first = published_metadata(materialize_all(inbox, data_dir))
    second = published_metadata(materialize_all(inbox, data_dir))
    assert second["status"] == "up_to_date"
    assert second["version"] == first["version"]
    assert len(list_versions(data_dir)) == 1
    (inbox / "005_new.txt").write_text("Kyiv said on Monday that talks would resume soon. " * 5)
    third = published_metadata(materialize_all(inbox, data_dir))
    assert third["status"] == "published"
    assert third["row_counts"]["articles"] == 6
    assert latest_version(data_dir) == third["version"]


def test_empty_and_binary_files_are_rejected_while_good_articles_publish(
    inbox: Path, tmp_path: Path
) -> None:
    (inbox / "empty.html").write_bytes(b"")
    (inbox / "junk.bin").write_bytes(bytes(range(256)) * 8)
    data_dir = tmp_path / "data"
    assert materialize_all(inbox, data_dir).success
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)
    rejects = dict(con.execute("select source_file, reason from rejects").fetchall())
    assert rejects["empty.html"] == "empty file (0 bytes)"
    assert rejects["junk.bin"].startswith("binary content")


def test_crash_inside_publish_leaves_previous_version_and_catalog_untouched(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    assert materialize_all(inbox, data_dir).success
    before = _tree_digest(data_dir)
    (inbox / "005_new.txt").write_text("Kyiv said on Monday that talks would resume soon. " * 5)

    def crash(stage: Path, final: Path) -> None:
        raise OSError("disk vanished between staging and publish")

    monkeypatch.setattr(publish, "commit_version", crash)
    result = materialize_all(inbox, data_dir)
    assert not result.success
    assert _tree_digest(data_dir) == before
    assert not list((data_dir / "published").glob(".staging-*"))
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)


def test_runs_are_recorded_in_a_persistent_instance(inbox: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        materialize_all(inbox, data_dir, instance=instance)
        records = instance.get_runs()
        assert len(records) == 1
        assert records[0].is_success


def test_syndicated_seed_copies_share_a_duplicate_group(inbox: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert materialize_all(inbox, data_dir).success
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    groups = dict(con.execute("select left(source_file, 3), dup_group_id from articles").fetchall())
    assert groups["000"] == groups["001"]
    assert len({groups["000"], groups["002"], groups["003"], groups["004"]}) == 4


def test_table_steps_run_before_ready_checks_so_validation_overlaps_them(
    inbox: Path, tmp_path: Path
) -> None:
    result = materialize_all(inbox, tmp_path / "data")
    started = [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]
    tables = [s for s in started if not s.endswith("_expectations")]
    checks = [s.removesuffix("_expectations") for s in started if s.endswith("_expectations")]
    assert tables == [
        "documents",
        "articles",
        "mentions",
        "figures",
        "quotes",
        "claims",
        "entities",
        "published",
    ]
    assert checks == [
        "articles",
        "rejects",
        "mentions",
        "figures",
        "quotes",
        "quote_clusters",
        "claims",
        "claim_figures",
        "entities",
    ]
    # quotes needs only the mentions check: it runs while figures is being validated.
    assert started.index("quotes") < started.index("figures_expectations")
