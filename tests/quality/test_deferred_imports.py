"""A deferred module loads on first use, whoever imported it and however it is used."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfacts.quality.deferred_imports import defer, is_deferred


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package `nfdeferred` whose module `heavy` records in `loads` each time it runs."""
    root = tmp_path / "nfdeferred"
    (root / "heavy").mkdir(parents=True)
    (root / "__init__.py").write_text("loads = []\n")
    (root / "heavy" / "__init__.py").write_text(
        "import nfdeferred\nnfdeferred.loads.append('heavy')\nVALUE = 42\n"
    )
    (root / "heavy" / "part.py").write_text("PART = 'part'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "nfdeferred"
    for name in [n for n in sys.modules if n.split(".")[0] == "nfdeferred"]:
        del sys.modules[name]


def test_import_is_free_until_an_attribute_is_read(package: str) -> None:
    assert defer(f"{package}.heavy") == [f"{package}.heavy"]
    parent = importlib.import_module(package)
    from nfdeferred import heavy  # type: ignore[import-not-found]

    assert parent.loads == [] and is_deferred(f"{package}.heavy")
    assert importlib.util.find_spec(f"{package}.heavy") is not None
    assert heavy.VALUE == 42
    assert parent.loads == ["heavy"] and not is_deferred(f"{package}.heavy")
    # The real module is in sys.modules now, and reads through the placeholder still work.
    assert sys.modules[f"{package}.heavy"].VALUE == 42 and heavy.VALUE == 42
    assert parent.loads == ["heavy"]


def test_a_submodule_import_loads_the_real_parent(package: str) -> None:
    defer(f"{package}.heavy")
    from nfdeferred.heavy import part  # type: ignore[import-not-found]

    assert part.PART == "part"
    assert importlib.import_module(package).loads == ["heavy"]


def test_imported_or_missing_modules_are_left_alone(package: str) -> None:
    importlib.import_module(f"{package}.heavy")
    assert defer(f"{package}.heavy", f"{package}.missing", "nf_no_such_package") == []
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(f"{package}.missing")


def test_great_expectations_imports_without_scipy_stats_and_still_can_use_it() -> None:
    """In a fresh interpreter (this one may have loaded scipy already): GX imports with
    scipy.stats deferred, a validation leaves it so, and GX's own reference to it works."""
    script = """
import sys
import polars as pl
from newsfacts.quality.deferred_imports import is_deferred
from newsfacts.quality.suites import import_gx, validate
from newsfacts.intake.schemas import REJECTS_SCHEMA
import_gx()
assert is_deferred("scipy.stats") and is_deferred("altair"), "deferred"
assert "scipy.stats._stats_py" not in sys.modules
rows = [{"source_file": "a.html", "stage": "documents", "reason": "empty file (0 bytes)"}]
assert validate("rejects", pl.DataFrame(rows, schema=REJECTS_SCHEMA)).success
assert is_deferred("scipy.stats"), "validation needed scipy.stats"
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
assert abs(kl.stats.entropy([0.5, 0.5], [0.5, 0.5])) < 1e-12
assert not is_deferred("scipy.stats")
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"
