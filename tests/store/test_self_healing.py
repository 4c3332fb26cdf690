"""Damaged state is found and repaired: the next build (or `newsfacts versions`/`doctor`)
recovers or fails with a clear message, and the published data stays sound.

Each case starts from a copy of one real build of the seeds, damages it the way a full disk,
a bad copy or a hand edit would, and runs the real `newsfacts` command on it.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsfacts.store.publish import latest_version
from tests.helpers import copy_seeds

NEWSFACTS = Path(sys.executable).parent / "newsfacts"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSFACTS), *map(str, args)], capture_output=True, text=True, timeout=600
    )


def build(inbox: Path, data: Path) -> subprocess.CompletedProcess[str]:
    return run("build", "--inbox", inbox, "--data-dir", data, "--workers", "1")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("healing")
    inbox = copy_seeds(root / "inbox")
    done = build(inbox, root / "data")
    assert done.returncode == 0, done.stdout + done.stderr
    return inbox, root / "data"


@pytest.fixture()
def data(built: tuple[Path, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(built[1], copy, symlinks=True)
    return copy


@pytest.fixture()
def inbox(built: tuple[Path, Path]) -> Path:
    return built[0]


def assert_sound(data: Path) -> None:
    """`versions` finds nothing wrong and the catalog answers from sound files."""
    listed = run("versions", "--data-dir", data)
    assert listed.returncode == 0 and "DAMAGED" not in listed.stdout, listed.stdout
    con = duckdb.connect(str(data / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)
    assert con.execute("select count(*) from figures").fetchone()[0] > 0


def test_a_truncated_published_file_is_reported_and_republished(inbox: Path, data: Path) -> None:
    damaged = latest_version(data)
    assert damaged
    os.truncate(data / "published" / damaged / "articles.parquet", 100)
    listed = run("versions", "--data-dir", data)
    assert listed.returncode == 1
    assert f"DAMAGED: version {damaged}: articles.parquet does not match" in listed.stdout
    done = build(inbox, data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"moved damaged version {damaged}" in done.stderr
    assert latest_version(data) not in (None, damaged)
    assert (data / "published" / f".damaged-{damaged}").is_dir()  # kept for inspection
    assert_sound(data)


def test_a_truncated_cache_part_is_discarded_and_recomputed(inbox: Path, data: Path) -> None:
    parts = sorted((data / "cache" / "quotes").rglob("rows-*.parquet"))
    assert parts
    os.truncate(parts[0], 50)
    (inbox_copy := data.parent / "inbox2").mkdir()
    for f in inbox.iterdir():
        shutil.copy(f, inbox_copy / f.name)
    (inbox_copy / "005_new.txt").write_text(
        '"We will rebuild the bridge," the mayor of Kyiv said on Monday. ' * 4
    )
    doctor = run("doctor", "--data-dir", data)
    assert doctor.returncode == 1 and f"cache part {parts[0]} is unreadable" in doctor.stdout
    done = build(inbox_copy, data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "discarded an unreadable cache part" in done.stdout + done.stderr
    assert not parts[0].exists()
    con = duckdb.connect(str(data / "catalog.duckdb"), read_only=True)
    per_article = con.execute(
        "select count(distinct article_id) from quotes where article_id in "
        "(select article_id from articles where source_file like '00%')"
    ).fetchone()
    assert per_article == (6,)  # the seeds' quotes came back, and the new page's


def test_a_garbage_instance_database_is_moved_aside(inbox: Path, data: Path) -> None:
    db = data / "dagster" / "history" / "runs.db"
    assert db.is_file()
    db.write_bytes(b"this is not sqlite" * 100)
    done = build(inbox, data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "moved the unreadable Dagster instance" in done.stderr
    assert list(data.glob("dagster.damaged-*"))
    assert run("doctor", "--data-dir", data).returncode == 0
    assert_sound(data)


@pytest.mark.parametrize("target", ["/etc", "no-such-version", "../.."])
def test_a_latest_link_outside_or_dangling_is_replaced(
    inbox: Path, data: Path, target: str
) -> None:
    link = data / "published" / "latest"
    link.unlink()
    link.symlink_to(target)
    listed = run("versions", "--data-dir", data)
    assert (
        listed.returncode == 1
        and "DAMAGED" in listed.stdout
        and "Traceback" not in (listed.stdout + listed.stderr)
    )
    done = build(inbox, data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.readlink(link) == latest_version(data)
    assert_sound(data)


def test_a_garbage_manifest_is_reported_not_a_crash(inbox: Path, data: Path) -> None:
    version = latest_version(data)
    (data / "published" / str(version) / "_manifest.json").write_text("{garbage")
    listed = run("versions", "--data-dir", data)
    assert "Traceback" not in listed.stdout + listed.stderr
    assert f"version {version}: _manifest.json unreadable" in listed.stdout
    repaired = run("doctor", "--data-dir", data, "--repair")
    assert repaired.returncode == 0 and f"moved damaged version {version}" in repaired.stdout
    done = build(inbox, data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_sound(data)


def test_brackets_in_paths_are_paths_not_patterns(inbox: Path, tmp_path: Path) -> None:
    odd = tmp_path / "news [1]"
    shutil.copytree(inbox, odd / "inbox [2]")
    done = build(odd / "inbox [2]", odd / "data[1]")
    assert done.returncode == 0, done.stdout + done.stderr
    again = build(odd / "inbox [2]", odd / "data[1]")
    assert again.returncode == 0 and "up to date" in again.stdout
    assert_sound(odd / "data[1]")


@pytest.mark.parametrize(
    ("code", "where"),
    [(errno.ENOSPC, "newsfacts.runtime.files.os.replace"),
     (errno.EROFS, "pipelines.build_command.instance_for")],
)  # fmt: skip
def test_disk_full_and_read_only_end_in_the_build_summary(
    inbox: Path,
    data: Path,
    code: int,
    where: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In-process, with the OS error raised where the build writes; no traceback, and the
    live version stays as it was."""
    from pipelines.cli import main

    before = latest_version(data)
    monkeypatch.setenv("DAGSTER_HOME", os.environ.get("DAGSTER_HOME", str(data / "dagster")))
    (data.parent / "inbox3").mkdir()
    for f in inbox.iterdir():
        shutil.copy(f, data.parent / "inbox3" / f.name)
    (data.parent / "inbox3" / "005_new.txt").write_text("Kyiv said talks would resume. " * 9)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(data))

    monkeypatch.setattr(where, fail)
    rc = main(["build", "--inbox", str(data.parent / "inbox3"), "--data-dir", str(data),
               "--workers", "1"])  # fmt: skip
    out = capsys.readouterr()
    assert rc == 1
    assert "BUILD FAILED" in out.out
    assert os.strerror(code) in out.out
    assert "Traceback" not in out.out + out.err
    monkeypatch.undo()
    assert latest_version(data) == before
    assert_sound(data)
