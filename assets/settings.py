"""Run settings shared by every asset, as one Dagster resource.

Paths are resolved once here so that assets, checks and the CLI agree on where the inbox,
staging area, cache and published versions are. Assets and the orchestration layer
(`pipelines/`) both import it from here; nothing here imports either of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl

from assets.defaults import DEFAULT_DATA_DIR, DEFAULT_INBOX, DEFAULT_MAX_DOCUMENT_BYTES
from newsfacts.store.remote import Remote, is_url


class NewsfactsSettings(dg.ConfigurableResource):
    """Where documents come from and where tables go; set from the CLI or NEWSFACTS_* vars."""

    inbox: str = DEFAULT_INBOX
    data_dir: str = DEFAULT_DATA_DIR
    # Local mirror of an object-store data dir (and inbox); see newsfacts.store.remote.
    local_dir: str | None = None
    manifest: str | None = None
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    fx_history_file: str | None = None
    fx_asof: str | None = None
    workers: int | None = None
    keep_versions: int | None = None
    # Overrides each suite's max_shrink: how much smaller than the live version a table may
    # be (1.0 publishes a deliberately smaller inbox).
    max_table_shrink: float | None = None

    def hold_back(
        self, stage: str, failures: list[tuple[str, str, str]], documents: pl.DataFrame
    ) -> int:
        """Record the documents a step could not process (written on every run, so a fixed
        document leaves the quarantine with the next build); returns how many."""
        from newsfacts.quality.quarantine import raised_path, step_failures
        from newsfacts.runtime.files import write_parquet_atomic

        path = raised_path(self.staging_path, stage)
        write_parquet_atomic(step_failures(stage, failures, documents), path)
        self.push(path)
        return len(failures)

    @property
    def inbox_path(self) -> Path:
        """The inbox as a local folder: the mirror of an inbox URL (see `sync_inbox`)."""
        return self.data_path / "inbox" if is_url(self.inbox) else Path(self.inbox).resolve()

    @property
    def data_path(self) -> Path:
        """Where this process reads and writes: the data dir itself, or for a data-dir URL
        its local mirror (`local_dir`, else a folder named after the URL in the user cache)."""
        if not is_url(self.data_dir):
            return Path(self.data_dir).resolve()
        if self.local_dir:
            return Path(self.local_dir).resolve()
        cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        digest = hashlib.sha256(self.data_dir.encode()).hexdigest()[:12]
        return cache_home / "newsfacts" / digest

    @property
    def remote(self) -> Remote | None:
        """The object store behind a data-dir URL; None for a local data dir."""
        return Remote(self.data_dir, self.data_path) if is_url(self.data_dir) else None

    def pull(self, *paths: Path) -> None:
        """Download these files of the mirror from the data dir (no-op for a local data dir)."""
        if remote := self.remote:
            for path in paths:
                remote.pull(path.relative_to(self.data_path).as_posix())

    def push(self, *paths: Path) -> None:
        """Upload these files of the mirror to the data dir (no-op for a local data dir)."""
        if remote := self.remote:
            for path in paths:
                remote.push(path.relative_to(self.data_path).as_posix())

    @contextlib.contextmanager
    def synced(self, folder: Path) -> Iterator[Path]:
        """A data-dir folder (a cache folder, the Data Docs) pulled before and pushed after
        the block, also when the block fails: what it wrote is valid and saves a redo."""
        remote = self.remote
        if remote is None:
            yield folder
            return
        rel = folder.relative_to(self.data_path).as_posix()
        remote.pull_tree(rel)
        try:
            yield folder
        finally:
            remote.push_tree(rel, delete=True)

    def sync_inbox(self) -> None:
        """Bring the local inbox mirror up to date with an inbox URL (no-op when local)."""
        if is_url(self.inbox):
            Remote(self.inbox, self.inbox_path).pull_tree("")

    @property
    def staging_path(self) -> Path:
        return self.data_path / "staging"

    @property
    def cache_path(self) -> Path:
        return self.data_path / "cache"

    @property
    def state_path(self) -> Path:
        """What the data dir must remember across builds and cannot recompute (unlike
        `cache_path`, which is safe to delete): the day each document was first taken in."""
        return self.data_path / "state"

    @property
    def manifest_path(self) -> Path | None:
        """The configured manifest, else `manifest.csv` in the inbox or beside it."""
        if self.manifest:
            return Path(self.manifest).resolve()
        for candidate in (
            self.inbox_path / "manifest.csv",
            self.inbox_path.parent / "manifest.csv",
        ):
            if candidate.is_file():
                return candidate
        return None

    @property
    def asof_date(self) -> date:
        return date.fromisoformat(self.fx_asof) if self.fx_asof else date.today()

    @classmethod
    def from_env(cls) -> NewsfactsSettings:
        env = os.environ
        keep = env.get("NEWSFACTS_KEEP_VERSIONS")
        workers = env.get("NEWSFACTS_WORKERS")
        return cls(
            inbox=env.get("NEWSFACTS_INBOX", DEFAULT_INBOX),
            data_dir=env.get("NEWSFACTS_DATA_DIR", DEFAULT_DATA_DIR),
            local_dir=env.get("NEWSFACTS_LOCAL_DIR") or None,
            manifest=env.get("NEWSFACTS_MANIFEST") or None,
            max_document_bytes=int(
                env.get("NEWSFACTS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
            ),
            fx_history_file=env.get("NEWSFACTS_FX_HISTORY") or None,
            fx_asof=env.get("NEWSFACTS_FX_ASOF") or None,
            workers=int(workers) if workers else None,
            keep_versions=int(keep) if keep else None,
        )
