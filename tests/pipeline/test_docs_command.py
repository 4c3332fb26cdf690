"""`newsfacts docs`: a built data dir's Data Docs served on 127.0.0.1, at the URL it prints."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.helpers import REPO, copy_seeds, materialize_all


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    assert materialize_all(copy_seeds(root / "inbox"), root / "data").success
    return root / "data"


def test_docs_serves_the_data_docs_on_loopback_at_the_printed_url(data_dir: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "docs", "--data-dir", str(data_dir), "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("Data Docs: http://127.0.0.1:"), line
        url = line.split(": ", 1)[1].strip()
        with urllib.request.urlopen(url, timeout=10) as response:
            index = response.read().decode()
        assert response.status == 200 and "newsfacts-articles" in index
        page = next((data_dir / "quality" / "validations").rglob("newsfacts-quotes.html"))
        relative = page.relative_to(data_dir / "quality").as_posix()
        with urllib.request.urlopen(url.replace("index.html", relative), timeout=10) as response:
            assert response.read() == page.read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_docs_without_a_build_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--data-dir", str(tmp_path), "--port", "0"]) == 2
    assert "no Data Docs" in capsys.readouterr().err
