"""Document partitions through real Dagster runs and the staging IO manager: a full build in
one single-run backfill, a rebuild of one partition that touches no other partition's file,
and a corpus-wide table read lazily from the partitions equal to the unpartitioned result."""

import gzip
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from dagster import AssetExecutionContext

from assets.partitions import DOCUMENT_PARTITIONS, INGEST_DAYS, register_partitions
from newsfacts.extract.text import extract
from newsfacts.intake.first_seen import load_first_seen, save_first_seen
from newsfacts.intake.formats import load_text
from newsfacts.intake.inbox import documents_frame, read_inbox
from newsfacts.intake.manifest import MANIFEST_SCHEMA
from newsfacts.intake.partitioning import partition_keys, shard_labels
from newsfacts.runtime.files import sha256_file
from newsfacts.store.partition_files import partition_files, partition_path
from pipelines.staging import StagedParquetIOManager
from tests.helpers import copy_seeds

MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)
ROWS_SCHEMA = {"article_id": pl.String(), "title": pl.String(), "words": pl.Int64()}


def _extracted(inbox: Path, ledger: Path, keys: list[str] | None) -> dict[str, pl.DataFrame]:
    """Clean text facts per document of the partitions ``keys`` (all if None), by key."""
    docs, _ = read_inbox(inbox)
    frame = documents_frame(docs, pl.DataFrame(schema=MANIFEST_SCHEMA), load_first_seen(ledger))
    frame = frame.with_columns(partition_keys(frame))
    if keys is not None:
        frame = frame.filter(pl.col("partition_key").is_in(keys))
    rows: dict[str, list[dict[str, object]]] = {key: [] for key in keys or ()}
    for doc in frame.iter_rows(named=True):
        text = load_text(Path(doc["path"]), doc["encoding"], doc["content_sha256"])
        page = extract(text, doc["format"])
        rows.setdefault(doc["partition_key"], []).append(
            {"article_id": doc["article_id"], "title": page.title, "words": len(page.text.split())}
        )
    return {
        key: pl.DataFrame(found, schema=ROWS_SCHEMA).sort("article_id")
        for key, found in rows.items()
    }


def _unpartitioned(inbox: Path, ledger: Path) -> pl.DataFrame:
    return pl.concat(_extracted(inbox, ledger, None).values()).sort("article_id")


def _assets(inbox: Path, ledger: Path) -> list[dg.AssetsDefinition]:
    @dg.asset(partitions_def=DOCUMENT_PARTITIONS, backfill_policy=dg.BackfillPolicy.single_run())
    def extracted(context: AssetExecutionContext) -> object:
        keys = list(context.partition_keys)
        frames = _extracted(inbox, ledger, keys)
        return frames if len(keys) > 1 else frames[keys[0]]

    @dg.asset
    def corpus(extracted: pl.LazyFrame) -> pl.DataFrame:
        return extracted.sort("article_id").collect()

    return [extracted, corpus]


@pytest.fixture
def inbox(tmp_path: Path, corpora: Path) -> Path:
    folder = copy_seeds(tmp_path / "inbox")
    (folder / "manifest.csv").unlink()
    for page in sorted((corpora / "article-extraction-benchmark" / "html").glob("*.gz"))[:11]:
        (folder / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    return folder


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        yield instance


def _take_in(inbox: Path, ledger: Path, day: date) -> dict[str, str]:
    """Record ``day`` for the documents the ledger lacks; source file → partition key."""
    docs, _ = read_inbox(inbox)
    known = load_first_seen(ledger)
    save_first_seen(ledger, {d.content_sha256: known.get(d.content_sha256, day) for d in docs})
    frame = documents_frame(docs, pl.DataFrame(schema=MANIFEST_SCHEMA), load_first_seen(ledger))
    return dict(zip(frame["source_file"], partition_keys(frame), strict=True))


def _stamps(staging: Path) -> dict[Path, tuple[int, str]]:
    return {
        p: (p.stat().st_mtime_ns, sha256_file(p)) for p in partition_files(staging, "extracted")
    }


def test_one_partition_rebuilt_leaves_the_others_and_matches_a_full_build(
    inbox: Path, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    data_dir, ledger = tmp_path / "data", tmp_path / "data" / "state" / "first_seen.json"
    staging = data_dir / "staging"
    resources = {"io_manager": StagedParquetIOManager(data_dir=str(data_dir))}
    seeds = sorted(inbox.glob("0*.txt"))
    held_back = {p: p.read_bytes() for p in seeds[3:]}
    for path in held_back:
        path.unlink()
    _take_in(inbox, ledger, MONDAY)
    for path, data in held_back.items():
        path.write_bytes(data)
    keys = list(_take_in(inbox, ledger, TUESDAY).values())
    assert register_partitions(instance, keys) == [MONDAY.isoformat(), TUESDAY.isoformat()]
    assert instance.get_dynamic_partitions(INGEST_DAYS) == ["2026-03-02", "2026-03-03"]
    extracted, corpus = _assets(inbox, ledger)

    # The whole inbox: every partition of both days in one run, then the corpus-wide table.
    first, last = f"{MONDAY}|{shard_labels()[0]}", f"{TUESDAY}|{shard_labels()[-1]}"
    full = dg.materialize(
        [extracted],
        instance=instance,
        resources=resources,
        tags={
            "dagster/asset_partition_range_start": first,
            "dagster/asset_partition_range_end": last,
        },
    )
    assert full.success
    assert len(_stamps(staging)) == 2 * len(shard_labels())  # empty shards say so too
    assert dg.materialize([extracted, corpus], selection=["corpus"], instance=instance,
                          resources=resources).success  # fmt: skip
    assert pl.read_parquet(staging / "corpus.parquet").equals(_unpartitioned(inbox, ledger))
    before = _stamps(staging)

    # A page arrives on Monday's partition: rebuild only that partition.
    page = sorted(inbox.glob("*.html"))[0]
    late = inbox / "late.html"
    late.write_bytes(page.read_bytes().replace(b"<title>", b"<title>Updated: ", 1))
    changed_key = _take_in(inbox, ledger, MONDAY)["late.html"]
    assert changed_key.startswith(f"{MONDAY}|")
    one = dg.materialize(
        [extracted], partition_key=changed_key, instance=instance, resources=resources
    )
    assert one.success
    after = _stamps(staging)
    assert {p for p in before if after[p] != before[p]} == {
        partition_path(staging, "extracted", changed_key)
    }
    assert dg.materialize([extracted, corpus], selection=["corpus"], instance=instance,
                          resources=resources).success  # fmt: skip
    rebuilt = pl.read_parquet(staging / "corpus.parquet")
    assert rebuilt.equals(_unpartitioned(inbox, ledger))
    assert rebuilt.height == _unpartitioned(inbox, ledger).height == len(keys) + 1


def test_rebuilding_every_partition_with_nothing_changed_rewrites_no_file(
    inbox: Path, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    data_dir, ledger = tmp_path / "data", tmp_path / "data" / "state" / "first_seen.json"
    resources = {"io_manager": StagedParquetIOManager(data_dir=str(data_dir))}
    keys = sorted(set(_take_in(inbox, ledger, MONDAY).values()))
    register_partitions(instance, keys)
    extracted, _ = _assets(inbox, ledger)
    for key in keys:  # one run per partition, as a multi-run backfill launches them
        assert dg.materialize([extracted], partition_key=key, instance=instance,
                              resources=resources).success  # fmt: skip
    before = _stamps(data_dir / "staging")
    assert set(before) == {partition_path(data_dir / "staging", "extracted", k) for k in keys}
    for key in keys:
        run = dg.materialize([extracted], partition_key=key, instance=instance, resources=resources)
        metadata = run.asset_materializations_for_node("extracted")[0].metadata
        assert metadata["partitions_changed"].value == 0
    assert _stamps(data_dir / "staging") == before
