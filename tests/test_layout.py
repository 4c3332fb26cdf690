"""The tree's house rules, so that the folder names keep telling the data flow.

A stage imports only the stages before it and `newsfacts.runtime`; the domain imports nothing
of Dagster, `assets` or `pipelines`; assets never import the orchestration layer; modules
stay small enough to read in one sitting.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The data flow, in order; each stage may import the ones before it.
STAGES = ("intake", "extract", "facts", "crosssource", "quality", "store")
MAX_LINES = 350


def _modules(folder: str) -> list[Path]:
    return sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> Iterator[str]:
    """Absolute names a module imports, wherever in the module (lazy imports count too)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _stage(path: Path) -> str | None:
    parts = path.relative_to(REPO).parts
    return parts[1] if len(parts) > 2 and parts[0] == "newsfacts" else None


def test_the_domain_has_one_folder_per_stage_and_nothing_flat() -> None:
    packages = {p.parent.name for p in (REPO / "newsfacts").glob("*/__init__.py")}
    assert packages == {*STAGES, "runtime"}
    assert [p.name for p in (REPO / "newsfacts").glob("*.py")] == ["__init__.py"]


@pytest.mark.parametrize("path", _modules("newsfacts"), ids=lambda p: str(p.relative_to(REPO)))
def test_a_stage_imports_only_earlier_stages_and_runtime(path: Path) -> None:
    stage = _stage(path)
    allowed = {"runtime"} | (set(STAGES[: STAGES.index(stage) + 1]) if stage in STAGES else set())
    for name in _imports(path):
        top, _, rest = name.partition(".")
        assert top not in ("dagster", "assets", "pipelines"), f"{path.name} imports {name}"
        if top == "newsfacts" and rest:
            target = rest.split(".")[0]
            if target in (*STAGES, "runtime"):
                assert target in allowed, f"{path.relative_to(REPO)} imports {name}"


@pytest.mark.parametrize("path", _modules("assets"), ids=lambda p: p.name)
def test_assets_do_not_import_the_orchestration_layer(path: Path) -> None:
    assert not [n for n in _imports(path) if n.split(".")[0] == "pipelines"]


def test_assets_are_named_after_the_stages() -> None:
    names = {p.stem for p in _modules("assets")}
    assert set(STAGES) <= names


def test_modules_are_small() -> None:
    long = {
        str(p.relative_to(REPO)): n
        for folder in ("newsfacts", "assets", "pipelines")
        for p in _modules(folder)
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long
