"""Object-store data dirs: the store is the only state shared between builds.

Each build below gets a fresh local mirror, as a new Kubernetes pod or Celery worker would,
so anything a step failed to upload or download shows up as a failure or a recomputation.
The store is an fsspec URL: `file://` for the pipeline tests (DuckDB reads it like any
object-store URL) and `memory://` for the sync primitives.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import fsspec
import pytest

from newsfacts.store.remote import Remote
from tests.helpers import copy_seeds, materialize_all, published_metadata


def test_sync_uploads_downloads_and_mirrors_deletions(tmp_path: Path) -> None:
    url = f"memory://newsfacts-test-{tmp_path.name}/data"
    pod_a = Remote(url, tmp_path / "a")
    (pod_a.local / "cache" / "x").mkdir(parents=True)
    (pod_a.local / "cache" / "x" / "rows-1.parquet").write_bytes(b"one")
    (pod_a.local / "cache" / "x" / "rows-2.parquet").write_bytes(b"two!")
    assert pod_a.push_tree("cache/x") == 2
    assert pod_a.push_tree("cache/x") == 0  # nothing changed, nothing sent

    pod_b = Remote(url, tmp_path / "b")
    assert pod_b.pull_tree("cache/x") == 2
    assert (pod_b.local / "cache" / "x" / "rows-2.parquet").read_bytes() == b"two!"

    # Compaction in one pod removes parts; the store and then the other pod follow.
    (pod_a.local / "cache" / "x" / "rows-1.parquet").unlink()
    pod_a.push_tree("cache/x", delete=True)
    assert set(pod_b.files("cache/x")) == {"rows-2.parquet"}
    pod_b.pull_tree("cache/x")
    mirrored = (pod_b.local / "cache" / "x").glob("rows-*")
    assert sorted(p.name for p in mirrored) == ["rows-2.parquet"]

    assert pod_b.pull("nothing/here.json") is False
    pod_b.write_text("published/latest", "v1\n")
    assert pod_a.read_text("published/latest") == "v1\n"
    fsspec.filesystem("memory").rm(f"/newsfacts-test-{tmp_path.name}", recursive=True)


def _store_versions(store: Path) -> list[str]:
    published = store / "published"
    return sorted(p.name for p in published.iterdir() if (p / "_manifest.json").is_file())


def test_builds_in_fresh_pods_share_cache_and_versions_through_the_store(
    tmp_path: Path,
) -> None:
    store = tmp_path / "bucket" / "newsfacts"
    url = f"file://{store}"
    inbox_dir = copy_seeds(tmp_path / "inbox")
    inbox_url = f"file://{inbox_dir}"

    first = materialize_all(inbox_url, url, local_dir=str(tmp_path / "pod-a"))  # type: ignore[arg-type]
    assert first.success
    meta = published_metadata(first)
    version = meta["version"]
    assert _store_versions(store) == [version]
    assert (store / "published" / "latest").read_text().strip() == version
    files = sorted(p.name for p in (store / "published" / version).iterdir())
    assert "articles.parquet" in files and "_manifest.json" in files
    assert meta["catalog"] == f"{url}/catalog.duckdb"
    # The store's catalog reads the store's files, not the pod's mirror.
    con = duckdb.connect(str(store / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)
    located = con.execute("select published_dir from _newsfacts_version").fetchone()
    assert located == (f"{url}/published/{version}",)
    con.close()
    assert (store / "quality" / "index.html").is_file()

    # A new pod with an empty mirror: one new document is the only extraction.
    shutil.rmtree(tmp_path / "pod-a")
    (inbox_dir / "005_new.txt").write_text(
        "Officials in Kyiv said on Monday that repairs to the delegation building would take "
        "weeks, and that the cost would be shared with partners in Brussels. " * 3
    )
    second = materialize_all(inbox_url, url, local_dir=str(tmp_path / "pod-b"))  # type: ignore[arg-type]
    assert second.success
    extracted = second.asset_materializations_for_node("articles")[0].metadata
    assert extracted["documents_extracted"].value == 1
    assert extracted["documents_from_cache"].value == 5
    new_version = published_metadata(second)["version"]
    assert _store_versions(store) == sorted([version, new_version])
    assert (store / "published" / "latest").read_text().strip() == new_version
    con = duckdb.connect(str(store / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (6,)
    con.close()

    # A third pod, nothing changed: no new version; retention then trims the store.
    third = materialize_all(
        inbox_url,
        url,  # type: ignore[arg-type]
        local_dir=str(tmp_path / "pod-c"),
        keep_versions=1,
    )
    assert third.success
    assert published_metadata(third)["status"] == "up_to_date"
    assert _store_versions(store) == [new_version]
    assert not (store / "published" / version).exists()


def test_a_missing_store_file_is_an_error_not_an_empty_table(tmp_path: Path) -> None:
    remote = Remote(f"file://{tmp_path / 'bucket'}", tmp_path / "mirror")
    with pytest.raises(FileNotFoundError):
        remote.fs.open(remote.remote_path("staging/articles.parquet"), "rb")
    assert remote.pull("staging/articles.parquet") is False
    assert not (tmp_path / "mirror" / "staging" / "articles.parquet").exists()


def test_cli_builds_lists_and_diffs_versions_on_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.cli import main

    store = f"file://{tmp_path / 'bucket'}"
    inbox = copy_seeds(tmp_path / "inbox")
    build = ["build", "--inbox", str(inbox), "--data-dir", store, "--workers", "1"]
    assert main([*build, "--local-dir", str(tmp_path / "pod-a")]) == 0
    out = capsys.readouterr().out
    assert f"store:   {store}/catalog.duckdb" in out
    (inbox / "005_new.txt").write_text(
        "The ministry in Kyiv said on Tuesday that the bridge would reopen within a week, "
        "after engineers from Brussels inspected it. " * 3
    )
    assert main([*build, "--local-dir", str(tmp_path / "pod-b")]) == 0
    capsys.readouterr()

    # An analyst's laptop: an empty mirror, everything comes from the store.
    laptop = ["--data-dir", store, "--local-dir", str(tmp_path / "laptop")]
    assert main(["versions", *laptop]) == 0
    versions = re.findall(r"\b\d{8}T\d+Z-[0-9a-f]{8}\b", capsys.readouterr().out)
    assert len(versions) == 2
    assert main(["diff", versions[0], versions[1], *laptop]) == 0
    assert "articles: +1 added, -0 removed" in capsys.readouterr().out


def test_sensor_on_an_inbox_url_sees_new_and_rewritten_files(tmp_path: Path) -> None:
    import dagster as dg

    from assets.settings import NewsfactsSettings
    from pipelines.definitions import build_definitions

    inbox = copy_seeds(tmp_path / "bucket" / "inbox")
    settings = NewsfactsSettings(
        inbox=f"file://{inbox}", data_dir=str(tmp_path / "data"), local_dir=None
    )
    sensor = build_definitions(settings).resolve_sensor_def("inbox_sensor")

    def tick(cursor: str | None) -> dg.SensorResult:
        return sensor.evaluate_tick(dg.build_sensor_context(cursor=cursor, instance=instance))

    with dg.instance_for_test() as instance:
        first = tick(None)
        assert len(first.run_requests) == 1
        assert tick(first.cursor).run_requests == []
        # Same size, new words: the store's modification time gives it away.
        target = inbox / "001_7a08a6b070b7ba96.txt"
        target.write_text(target.read_text().replace("Copenhagen", "Kopenhagen", 1))
        changed = tick(first.cursor)
        assert len(changed.run_requests) == 1
        assert tick(changed.cursor).run_requests == []
        mirrored = settings.inbox_path / target.name
        assert "Kopenhagen" in mirrored.read_text()
