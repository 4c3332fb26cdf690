"""The staging IO manager: where each asset's table is written and read back."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.defaults import DEFAULT_DATA_DIR
from assets.metadata import location_metadata
from assets.quality import prefetch_validation
from assets.settings import NewsfactsSettings
from newsfacts.runtime.files import write_parquet_atomic


class StagedParquetIOManager(dg.ConfigurableIOManager):
    """Stores each asset as one Parquet file in the staging area (the "write" of WAP).

    Writes are atomic (temp file + rename), so a check never reads a half-written table. With
    a data-dir URL the file is also uploaded, and a reader in another process or pod
    downloads it first.
    """

    data_dir: str = DEFAULT_DATA_DIR
    local_dir: str | None = None

    def _staged(self, key: dg.AssetKey) -> tuple[NewsfactsSettings, Path]:
        from newsfacts.store.publish import staged_path

        settings = NewsfactsSettings(data_dir=self.data_dir, local_dir=self.local_dir)
        return settings, staged_path(settings.staging_path, key.to_user_string())

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        import polars as pl

        if obj is None:
            return
        if not isinstance(obj, pl.DataFrame):
            raise TypeError(f"{context.asset_key.to_user_string()}: expected a polars DataFrame")
        settings, path = self._staged(context.asset_key)
        write_parquet_atomic(obj, path)
        settings.push(path)
        prefetch_validation(settings, context.asset_key.to_user_string())
        table = context.asset_key.to_user_string()
        data_dir_url = self.data_dir if settings.remote else None
        context.add_output_metadata(
            location_metadata(table, path, settings.data_path, data_dir_url)
        )

    def load_input(self, context: dg.InputContext) -> object:
        from newsfacts.quality.quarantine import audit_record_of, quarantine_path, read_admitted

        assert context.upstream_output is not None
        key = context.upstream_output.asset_key
        settings, path = self._staged(key)
        settings.pull(path, audit_record_of(path), quarantine_path(path))
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: materialize {key.to_user_string()} first")
        # Downstream steps read what the audit admitted: a held row never reaches them.
        return read_admitted(path)
