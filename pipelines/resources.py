"""Run settings shared by every asset, as one Dagster resource.

Paths are resolved once here so that assets, checks and the CLI agree on where the inbox,
staging area, cache and published versions are.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import dagster as dg

DEFAULT_INBOX = "seeds/articles"
DEFAULT_DATA_DIR = "data"
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class NewsfactsSettings(dg.ConfigurableResource):
    """Where documents come from and where tables go; set from the CLI or NEWSFACTS_* vars."""

    inbox: str = DEFAULT_INBOX
    data_dir: str = DEFAULT_DATA_DIR
    manifest: str | None = None
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    fx_history_file: str | None = None
    fx_asof: str | None = None
    workers: int | None = None
    keep_versions: int | None = None

    @property
    def inbox_path(self) -> Path:
        return Path(self.inbox).resolve()

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def staging_path(self) -> Path:
        return self.data_path / "staging"

    @property
    def cache_path(self) -> Path:
        return self.data_path / "cache"

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
            manifest=env.get("NEWSFACTS_MANIFEST") or None,
            max_document_bytes=int(
                env.get("NEWSFACTS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
            ),
            fx_history_file=env.get("NEWSFACTS_FX_HISTORY") or None,
            fx_asof=env.get("NEWSFACTS_FX_ASOF") or None,
            workers=int(workers) if workers else None,
            keep_versions=int(keep) if keep else None,
        )


class StagedParquetIOManager(dg.ConfigurableIOManager):
    """Stores each asset as one Parquet file in the staging area (the "write" of WAP).

    Writes are atomic (temp file + rename), so a check never reads a half-written table.
    """

    data_dir: str = DEFAULT_DATA_DIR

    def _path(self, key: dg.AssetKey) -> Path:
        from newsfacts.publish import staged_path

        return staged_path(Path(self.data_dir).resolve() / "staging", key.to_user_string())

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        import polars as pl

        if obj is None:
            return
        if not isinstance(obj, pl.DataFrame):
            raise TypeError(f"{context.asset_key.to_user_string()}: expected a polars DataFrame")
        path = self._path(context.asset_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        obj.write_parquet(tmp)
        os.replace(tmp, path)
        context.add_output_metadata({"path": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> object:
        import polars as pl

        assert context.upstream_output is not None
        key = context.upstream_output.asset_key
        path = self._path(key)
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: materialize {key.to_user_string()} first")
        return pl.read_parquet(path)
