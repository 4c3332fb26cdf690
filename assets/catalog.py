"""How each asset appears in the Dagster catalog: its group (the stage folder it comes from),
kinds, owners, tags, code version, column schema and lineage, and where its code is.

Kept in one place and applied to the asset definitions as a whole (`catalogued`), so the
modules under `assets/` say only what an asset computes. Code versions are computed when the
definitions are built, from the hash of the code itself: the UI marks an asset stale exactly
when its code, or the reference data or model it reads, changed since it was materialized.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import dagster as dg

from assets.metadata import definition_metadata
from newsfacts.runtime import provenance

# Who answers for these tables; `NEWSFACTS_OWNERS` (comma-separated `team:…` or e-mail
# addresses) overrides it for a deployment.
DEFAULT_OWNERS: tuple[str, ...] = ("team:data-engineering",)
OWNERS_ENV = "NEWSFACTS_OWNERS"
# With a repository URL set, the UI links each asset to its code there, else to the local file.
GIT_URL_ENV = "NEWSFACTS_GIT_URL"
GIT_BRANCH_ENV = "NEWSFACTS_GIT_BRANCH"


@dataclass(frozen=True)
class Entry:
    stage: str
    domain: str
    kinds: frozenset[str]
    # What besides the code its rows depend on: "reference" (seeds/reference/), "models"
    # (spaCy's English pipeline and the sentence encoder).
    reads: tuple[str, ...] = ()


def _entry(stage: str, domain: str, *kinds: str, reads: tuple[str, ...] = ()) -> Entry:
    return Entry(stage, domain, frozenset({"polars", "parquet", *kinds}), reads)


_CHECKED = "great_expectations"
ASSETS: dict[str, Entry] = {
    "documents": _entry("intake", "inbox", "python"),
    "intake_rejects": _entry("intake", "inbox", "python"),
    "articles": _entry("extract", "articles", "trafilatura", _CHECKED),
    "rejects": _entry("extract", "inbox", "python", _CHECKED),
    "mentions": _entry("facts", "entities", "python", _CHECKED, reads=("reference",)),
    "quotes": _entry("facts", "quotes", "spacy", _CHECKED, reads=("reference", "models")),
    "entities": _entry("facts", "entities", "python", _CHECKED, reads=("reference",)),
    "figures": _entry("facts", "figures", "python", _CHECKED, reads=("reference",)),
    "quote_clusters": _entry(
        "crosssource", "quotes", "python", _CHECKED, reads=("reference", "models")
    ),
    "claims": _entry("crosssource", "figures", "python", _CHECKED),
    "claim_figures": _entry("crosssource", "figures", "python", _CHECKED),
    "published": Entry("store", "catalog", frozenset({"duckdb", "parquet", "python"})),
}


def owners() -> list[str]:
    configured = os.environ.get(OWNERS_ENV, "")
    chosen = [owner.strip() for owner in configured.split(",") if owner.strip()]
    return chosen or list(DEFAULT_OWNERS)


def _model_versions() -> str:
    from newsfacts.crosssource.embeddings import model_version as encoder_version
    from newsfacts.runtime.nlp import model_version as nlp_version

    return f"{nlp_version()}+{encoder_version()}"


def code_version(asset: str) -> str:
    """The code hash, plus the reference data and model versions the asset reads."""
    parts = [provenance.code_version()]
    reads = ASSETS[asset].reads
    if "reference" in reads:
        parts.append(f"ref-{provenance.reference_version()}")
    if "models" in reads:
        parts.append(_model_versions())
    return "-".join(parts)


def _catalogued_spec(spec: dg.AssetSpec, team: list[str]) -> dg.AssetSpec:
    name = spec.key.to_user_string()
    entry = ASSETS[name]
    return spec.replace_attributes(
        group_name=entry.stage,
        code_version=code_version(name),
        owners=team,
        tags={**spec.tags, "stage": entry.stage, "domain": entry.domain},
        kinds=set(entry.kinds),
        metadata={**spec.metadata, **definition_metadata(name)},
    )


def _code_references(assets_def: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The asset's function, plus the suite that checks its table."""
    from newsfacts.quality.suites import SUITE_DIR

    def add(spec: dg.AssetSpec) -> dg.AssetSpec:
        suite = SUITE_DIR / f"{spec.key.to_user_string()}.json"
        if not suite.is_file():
            return spec
        reference = dg.LocalFileCodeReference(
            file_path=str(suite), line_number=1, label="great-expectations suite"
        )
        return spec.merge_attributes(
            metadata={
                "dagster/code_references": dg.CodeReferencesMetadataValue(
                    code_references=[reference]
                )
            }
        )

    return assets_def.map_asset_specs(add)


def catalogued(assets_defs: Sequence[dg.AssetsDefinition]) -> list[dg.AssetsDefinition]:
    team = owners()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        mapped = [
            _code_references(a.map_asset_specs(lambda s: _catalogued_spec(s, team)))
            for a in assets_defs
        ]
        referenced = dg.with_source_code_references(mapped)
        git_url = os.environ.get(GIT_URL_ENV)
        if git_url:
            referenced = dg.link_code_references_to_git(
                referenced,
                git_url=git_url,
                git_branch=os.environ.get(GIT_BRANCH_ENV, "main"),
                file_path_mapping=dg.AnchorBasedFilePathMapping(
                    local_file_anchor=provenance.REPO_ROOT, file_anchor_path_in_repository=""
                ),
            )
    return [a for a in referenced if isinstance(a, dg.AssetsDefinition)]
