"""What the Dagster catalog shows, on real definitions and a real build of the seeds: groups,
kinds, owners, code versions that follow the code, described columns, column lineage, metadata
that points at the published files, and checks that say what they allow and what they saw."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

from assets import catalog
from assets.metadata import PREVIEW_CHARS
from assets.settings import NewsfactsSettings
from newsfacts.runtime import provenance
from newsfacts.store.columns import load_tables
from pipelines.definitions import build_definitions
from tests.helpers import REPO, copy_seeds, materialize_all

STAGE_FOLDERS = {p.name for p in (REPO / "newsfacts").iterdir() if (p / "__init__.py").is_file()}


def _specs(defs: dg.Definitions) -> dict[str, dg.AssetSpec]:
    return {
        spec.key.to_user_string(): spec
        for assets_def in defs.assets or []
        if isinstance(assets_def, dg.AssetsDefinition)
        for spec in assets_def.specs
    }


def _code_versions() -> dict[str, str | None]:
    return {name: spec.code_version for name, spec in _specs(build_definitions()).items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("catalog")
    data_dir = root / "data"
    result = materialize_all(copy_seeds(root / "inbox"), data_dir)
    assert result.success
    return data_dir, result


def _materializations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetMaterialization]:
    return {
        e.materialization.asset_key.to_user_string(): e.materialization
        for e in result.get_asset_materialization_events()
    }


def _values(metadata: dict[str, Any]) -> dict[str, Any]:
    return {key: value.value for key, value in metadata.items()}


def test_every_asset_has_a_stage_group_kinds_owners_tags_and_code_references() -> None:
    specs = _specs(build_definitions())
    assert set(specs) == set(catalog.ASSETS)
    for name, spec in specs.items():
        assert spec.group_name in STAGE_FOLDERS, name
        assert spec.tags["stage"] == spec.group_name
        assert spec.tags["domain"]
        assert {"parquet"} <= spec.kinds and spec.kinds & {"polars", "duckdb"}, name
        assert spec.owners == ["team:data-engineering"], name
        references = spec.metadata["dagster/code_references"].code_references
        assert all(Path(r.file_path).is_file() for r in references), name
        assert any(r.file_path.endswith(".py") for r in references), name
    assert "duckdb" in specs["published"].kinds
    assert "trafilatura" in specs["articles"].kinds
    checked = {
        check.asset_key.to_user_string()
        for check in build_definitions().resolve_asset_graph().asset_check_keys
    }
    assert checked == {n for n, s in specs.items() if "great_expectations" in s.kinds}
    assert {s.group_name for s in specs.values()} == STAGE_FOLDERS - {"quality", "runtime"}


def test_owners_are_set_in_one_place_for_a_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(catalog.OWNERS_ENV, "team:newsroom-data, ana@example.org")
    specs = _specs(build_definitions())
    assert {tuple(s.owners) for s in specs.values()} == {("team:newsroom-data", "ana@example.org")}


def test_code_versions_change_when_the_code_changes_and_not_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _code_versions()
    assert first == _code_versions()
    assert all(version and provenance.code_version() in version for version in first.values())

    monkeypatch.setattr(provenance, "code_version", lambda: "0123456789ab")
    changed = _code_versions()
    assert all(changed[name] != first[name] for name in first)

    monkeypatch.undo()
    monkeypatch.setattr(provenance, "reference_version", lambda: "ba9876543210")
    reference = _code_versions()
    readers = {name for name, entry in catalog.ASSETS.items() if "reference" in entry.reads}
    assert readers == {"mentions", "quotes", "entities", "figures", "quote_clusters"}
    assert {name for name in first if reference[name] != first[name]} == readers


def test_a_materialization_records_the_code_version_not_the_run_id(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    _, result = built
    versions = _code_versions()
    for name, materialization in _materializations(result).items():
        recorded = materialization.tags["dagster/code_version"]
        assert recorded == versions[name] != result.run_id, name


def test_every_published_column_is_described_with_its_type_and_nothing_else_is(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    data_dir, _ = built
    tables = load_tables()
    files = sorted((data_dir / "published" / "latest").glob("*.parquet"))
    assert {f.stem for f in files} == {t.name for t in tables.values() if t.published}
    for path in files:
        described = [(c.name, c.type) for c in tables[path.stem].columns]
        con = duckdb.connect()
        found = con.execute(f"describe select * from read_parquet('{path}')").fetchall()
        assert [(row[0], row[1]) for row in found] == described, path.stem


def test_the_ui_column_schema_describes_every_column_of_every_table(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    data_dir, result = built
    for name, materialization in _materializations(result).items():
        if name == "published":
            continue
        schema = materialization.metadata["dagster/column_schema"].schema
        staged = pq.read_schema(data_dir / "staging" / f"{name}.parquet").names
        assert [c.name for c in schema.columns] == staged, name
        assert all(c.description for c in schema.columns), name


def test_column_lineage_names_real_columns_of_direct_upstream_assets(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    data_dir, result = built
    graph = build_definitions().resolve_asset_graph()
    lineages = 0
    for name, materialization in _materializations(result).items():
        if "dagster/column_lineage" not in materialization.metadata:
            continue
        lineage = materialization.metadata["dagster/column_lineage"].value
        parents = graph.get(dg.AssetKey(name)).parent_keys
        own = set(pq.read_schema(data_dir / "staging" / f"{name}.parquet").names)
        for column, deps in lineage.deps_by_column.items():
            assert column in own, (name, column)
            for dep in deps:
                assert dep.asset_key in parents, (name, column, dep.asset_key)
                upstream = data_dir / "staging" / f"{dep.asset_key.to_user_string()}.parquet"
                assert dep.column_name in pq.read_schema(upstream).names, (name, column, dep)
                lineages += 1
    assert lineages > 60
    clusters = _materializations(result)["quote_clusters"].metadata["dagster/column_lineage"]
    assert clusters.value.deps_by_column["speaker_entity_id"] == [
        dg.TableColumnDep(asset_key="quotes", column_name="speaker_entity_id")
    ]


def test_tables_point_at_their_published_file_and_say_how_to_open_it(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    data_dir, result = built
    materializations = _materializations(result)
    for table in (t for t in load_tables().values() if t.published and t.name != "quarantine"):
        meta = _values(materializations[table.name].metadata)
        assert meta["path"] == str(data_dir / "published" / "latest" / f"{table.name}.parquet")
        assert meta["staged_path"] == str(data_dir / "staging" / f"{table.name}.parquet")
        query = re.search(r"```sql\n(.*)\n```", meta["duckdb"], re.S)
        assert query is not None
        with duckdb.connect() as con:  # its own: the module-wide default may be mid-result
            rows = con.execute(query.group(1)).fetchall()
        assert len(rows) == min(10, meta["dagster/row_count"]), table.name
    documents = _values(materializations["documents"].metadata)
    assert "path" not in documents and Path(documents["staged_path"]).is_file()

    published = _values(materializations["published"].metadata)
    assert published["path"] == str(data_dir / "published" / published["version"])
    files = {record.data["table"]: record.data for record in published["tables"].records}
    assert {t: f["rows"] for t, f in files.items()} == published["row_counts"]
    assert all((Path(published["path"]) / f["file"]).is_file() for f in files.values())
    assert published["data_docs"].startswith("http://127.0.0.1:")


def _significant_digits(value: float) -> int:
    digits = f"{abs(value):.15g}".replace(".", "").lstrip("0").split("e")[0]
    return len(digits.rstrip("0")) or 1


def test_numbers_are_rounded_and_previews_fit(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    _, result = built
    floats = {}
    for name, materialization in _materializations(result).items():
        for key, value in materialization.metadata.items():
            if isinstance(value, dg.FloatMetadataValue) and value.value is not None:
                floats[f"{name}.{key}"] = value.value
        if "preview" not in materialization.metadata:
            continue
        header, _, *rows = materialization.metadata["preview"].value.splitlines()
        assert header.count("|") - 1 <= 8, name
        for row in rows:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
            assert all(len(c.replace("\\|", "|")) <= 2 * PREVIEW_CHARS for c in cells), name
    assert 0 < floats["quotes.resolved_speaker_percent"] <= 100
    assert all(math.isfinite(v) and _significant_digits(v) <= 4 for v in floats.values()), floats


def test_every_check_shows_what_it_allows_and_what_it_observed(
    built: tuple[Path, dg.ExecuteInProcessResult],
) -> None:
    _, result = built
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) > 100
    for evaluation in evaluations:
        meta = _values(evaluation.metadata)
        name = f"{evaluation.asset_key.to_user_string()}.{evaluation.check_name}"
        observed = meta["observed_value"]
        assert observed and observed not in ("None", "no value reported"), name
        assert meta["expected"], name
        kind = meta["expectation"]
        if kind == "expect_column_values_to_be_in_set":
            assert meta["allowed_values"] and "[" not in meta["allowed_values"], name
        if kind == "expect_column_values_to_match_regex":
            assert meta["regex"] in meta["expected"], name
        if kind.endswith("_to_be_between"):
            assert "min_value" in meta or "max_value" in meta, name
        if meta["scope"] == "row" and "failing_rows" in meta:
            assert observed.startswith(f"{meta['failing_rows']} failing of "), name
    means = [
        _values(e.metadata)
        for e in evaluations
        if e.check_name == "speaker_resolved_share" and e.asset_key.to_user_string() == "quotes"
    ]
    assert [(m["observed_value"], m["min_value"]) for m in means] == [("0.9831", 0.6)]


def test_the_cli_settings_give_the_same_catalog(tmp_path: Path) -> None:
    settings = NewsfactsSettings(inbox=str(tmp_path), data_dir=str(tmp_path / "data"))
    assert _code_versions() == {
        name: spec.code_version for name, spec in _specs(build_definitions(settings)).items()
    }


def test_code_references_link_to_the_repository_when_one_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(catalog.GIT_URL_ENV, "https://github.com/example/newsfacts")
    specs = _specs(build_definitions())
    prefix = "https://github.com/example/newsfacts/tree/main/"
    for name, spec in specs.items():
        urls = [r.url for r in spec.metadata["dagster/code_references"].code_references]
        assert urls and all(url.startswith(prefix) for url in urls), name
        files = [url.removeprefix(prefix).split("#")[0] for url in urls]
        assert all((REPO / f).is_file() for f in files), (name, files)
    articles = specs["articles"].metadata["dagster/code_references"].code_references
    assert {r.url.removeprefix(prefix).split("#")[0] for r in articles} == {
        "expectations/articles.json",
        "assets/extract.py",
    }
