"""Run the real pipeline in-process (real Dagster, real files) for tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import dagster as dg

from assets.settings import NewsfactsSettings
from pipelines.definitions import build_definitions

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"
SEED_MANIFEST = REPO / "seeds" / "manifest.csv"


def copy_seeds(inbox: Path) -> Path:
    """A private inbox with the five seeds and their manifest, safe to add files to."""
    shutil.copytree(SEEDS, inbox)
    shutil.copy(SEED_MANIFEST, inbox / "manifest.csv")
    return inbox


def materialize_all(
    inbox: Path,
    data_dir: Path,
    instance: dg.DagsterInstance | None = None,
    io_manager: dg.IOManager | dg.ConfigurableIOManager | None = None,
    **settings: Any,
) -> dg.ExecuteInProcessResult:
    defs = build_definitions(
        NewsfactsSettings(inbox=str(inbox), data_dir=str(data_dir), workers=1, **settings)
    )
    resources = dict(defs.resources or {})
    if io_manager is not None:
        resources["io_manager"] = io_manager
    return dg.materialize(
        [*defs.assets, *(defs.asset_checks or [])],  # type: ignore[list-item]
        resources=resources,
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def published_metadata(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    events = result.asset_materializations_for_node("published")
    return {key: value.value for key, value in events[-1].metadata.items()}
