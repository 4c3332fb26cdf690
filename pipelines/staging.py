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

    A partitioned asset is staged as one file per partition (`newsfacts.store.partition_files`);
    a step of several partitions (a single-run backfill) returns ``{partition key: frame}``.
    An unpartitioned step reading a partitioned one gets every staged partition in one lazy
    scan: a ``pl.LazyFrame`` if its parameter is annotated so, else the collected table.
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
        if not isinstance(obj, pl.DataFrame) and not context.has_asset_partitions:
            raise TypeError(f"{context.asset_key.to_user_string()}: expected a polars DataFrame")
        if context.has_asset_partitions:
            self._stage_partitions(context, obj)
            return
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
        if context.has_asset_partitions:
            return self._load_partitions(context, key)
        settings, path = self._staged(key)
        settings.pull(path, audit_record_of(path), quarantine_path(path))
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: materialize {key.to_user_string()} first")
        # Downstream steps read what the audit admitted: a held row never reaches them.
        return read_admitted(path)

    def _stage_partitions(self, context: dg.OutputContext, obj: object) -> None:
        import polars as pl

        from newsfacts.store.partition_files import partition_path, write_partitions

        keys = context.asset_partition_keys
        if isinstance(obj, pl.DataFrame) and len(keys) == 1:
            frames = {keys[0]: obj}
        elif isinstance(obj, dict) and set(obj) == set(keys):
            frames = obj
        else:
            raise TypeError(
                f"{context.asset_key.to_user_string()}: expected a polars DataFrame for one "
                f"partition or {{partition key: DataFrame}} for each of {len(keys)}"
            )
        settings, _ = self._staged(context.asset_key)
        table = context.asset_key.to_user_string()
        changed = write_partitions(settings.staging_path, table, frames)
        settings.push(*(partition_path(settings.staging_path, table, k) for k in changed))
        context.add_output_metadata(
            {"partitions_written": len(frames), "partitions_changed": len(changed)}
        )

    def _load_partitions(self, context: dg.InputContext, key: dg.AssetKey) -> object:
        import polars as pl

        from newsfacts.store.partition_files import partition_path

        settings, _ = self._staged(key)
        table = key.to_user_string()
        wanted = [
            partition_path(settings.staging_path, table, k)
            for k in sorted(context.asset_partition_keys)
        ]
        settings.pull(*wanted)
        # A shard that holds no document of its day was never materialised: it has no file.
        files = [path for path in wanted if path.is_file()]
        if not files:
            raise FileNotFoundError(f"{table}: no staged partition among those this step reads")
        scan = pl.scan_parquet(files, hive_partitioning=False, glob=False)
        wants_lazy = getattr(context.dagster_type, "typing_type", None) is pl.LazyFrame
        return scan if wants_lazy else scan.collect()
