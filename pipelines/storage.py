"""Dagster's SQLite event log with one open engine per database file.

The stock SQLite event log creates an engine and opens a connection for every event it stores,
and two or three for each asset check result: ~3 ms each, where a kept connection takes ~1 ms.
A build stores ~450 events (one check per expectation), so that is seconds of every build,
and most of a rebuild's bookkeeping. Its commits also skip the fsync (see `_relaxed_sync`),
and a table found once is not looked up again: the stock storage asks whether the asset-check
table exists, on a new engine, before storing each check event.
The files, schema, transactions and locking stay Dagster's own, so the UI and other processes
read the same instance as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as db
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


def _relaxed_sync(dbapi_connection: Any, _record: Any) -> None:
    """Commit without waiting for the disk. In Dagster's WAL mode this still survives a killed
    process; only a power cut can lose the last events. An fsync per event is ~2 ms, and a
    build stores hundreds of events."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` keeping each shard's engine (and its pooled connections)."""

    def __init__(self, base_dir: str, inst_data: Any = None) -> None:
        self._engines: dict[str, db.engine.Engine] = {}  # guarded by the parent's _db_lock
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: Any, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> db.engine.Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = db.create_engine(
                self.conn_string_for_shard(shard),
                # Connections go back to the pool between events and may be taken by another
                # thread; sqlite3 refuses that unless told the caller serialises (_db_lock).
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            db.event.listen(engine, "connect", _relaxed_sync)
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[db.engine.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # Only a found table is remembered: migrations add tables, nothing here drops one
        # (`wipe` forgets them all).
        if table_name in self._tables:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables.add(table_name)
        return found

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()

    def wipe(self) -> None:
        self._dispose_engines()  # the shard files are deleted: no handle may stay open
        self._tables.clear()
        super().wipe()
