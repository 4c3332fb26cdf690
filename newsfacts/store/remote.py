"""Data dirs (and inboxes) on object stores: s3://, gs://, az://, or any fsspec URL.

The object store is the source of truth; every step works in a local mirror of the parts it
needs and syncs at its boundaries. Each step pulls what it reads (staged tables, its cache
folder, the published manifests) and pushes what it wrote, so steps can run in different
pods or on different Celery workers, as Dagster's Kubernetes and Celery executors run them,
with nothing shared but the bucket. Local logic (atomic renames, the stage cache, the
publish protocol) stays exactly the same as for a local data dir.

On the store, a version becomes visible the way it does locally: its files are uploaded
first, its `_manifest.json` last (a folder without a manifest is not a version), and only
then does the `published/latest` object, a one-line text pointer, move to it. A single PUT
is atomic on object stores, so readers never see a half-written pointer or manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def is_url(location: str) -> bool:
    return "://" in location


# Per mirrored folder: the store signature of each file as last downloaded.
_PULLED = ".pulled.json"


def _signature(info: dict[str, Any]) -> str:
    """What tells a store file's versions apart without reading it: S3/GCS/Azure ETags or
    MD5s, else the modification time, always with the size."""
    for key in ("ETag", "etag", "md5Hash", "md5", "mtime", "LastModified", "last_modified"):
        if info.get(key) is not None:
            return f"{info.get('size')}:{info[key]}"
    return f"{info.get('size')}:{info.get('created')}"


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


class Remote:
    """An fsspec location mirrored by a local folder, addressed by relative POSIX paths."""

    def __init__(self, url: str, local: Path, **storage_options: Any) -> None:
        self.url = url.rstrip("/")
        import fsspec  # here: most runs have local data dirs and never need it

        self.fs, root = fsspec.core.url_to_fs(self.url, **storage_options)
        self.root = root.rstrip("/")
        self.local = local

    def __repr__(self) -> str:
        return f"Remote({self.url!r} ↔ {str(self.local)!r})"

    def remote_path(self, rel: str) -> str:
        return f"{self.root}/{rel}" if rel else self.root

    def url_of(self, rel: str) -> str:
        """The URL readers outside fsspec (DuckDB, polars) use for `rel`."""
        return f"{self.url}/{rel}"

    def pull(self, rel: str) -> bool:
        """Download one file over its local copy; False (local copy removed) if absent."""
        target = self.local / rel
        if not self.fs.isfile(self.remote_path(rel)):
            target.unlink(missing_ok=True)
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.pull")
        self.fs.get_file(self.remote_path(rel), str(tmp))
        tmp.replace(target)
        return True

    def push(self, rel: str) -> None:
        self.fs.makedirs(self.remote_path(rel).rsplit("/", 1)[0], exist_ok=True)
        self.fs.put_file(str(self.local / rel), self.remote_path(rel))

    def _found(self, rel: str) -> dict[str, dict[str, Any]]:
        base = self.remote_path(rel)
        if not self.fs.isdir(base):
            return {}
        found = self.fs.find(base, detail=True)
        return {
            name[len(base) :].lstrip("/"): info
            for name, info in found.items()
            if info.get("type") == "file"
        }

    def files(self, rel: str) -> dict[str, int]:
        """Sizes of the store's files under `rel`, by path relative to it."""
        return {name: int(info.get("size") or 0) for name, info in self._found(rel).items()}

    def _local_files(self, rel: str) -> dict[str, int]:
        base = self.local / rel
        if not base.is_dir():
            return {}
        return {
            p.relative_to(base).as_posix(): p.stat().st_size
            for p in base.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        }

    def pull_tree(self, rel: str, suffix: str = "") -> int:
        """Download the files under `rel` (ending in `suffix`) that changed on the store since
        this mirror last pulled them (by size and the store's ETag or modification time, so
        an edit that keeps the size is seen too), and drop mirror files the store no longer
        has; returns the number downloaded."""
        index_path = self.local / rel / _PULLED
        try:
            pulled: dict[str, str] = json.loads(index_path.read_text())
        except (OSError, ValueError):
            pulled = {}
        remote = {k: _signature(v) for k, v in self._found(rel).items() if k.endswith(suffix)}
        local = {k: v for k, v in self._local_files(rel).items() if k.endswith(suffix)}
        fetched = 0
        for name, signature in remote.items():
            if name not in local or pulled.get(name) != signature:
                self.pull(_join(rel, name))
                fetched += 1
            pulled[name] = signature
        for name in local.keys() - remote.keys():
            (self.local / _join(rel, name)).unlink(missing_ok=True)
            pulled.pop(name, None)
        index_path.parent.mkdir(parents=True, exist_ok=True)
        index_path.write_text(json.dumps(pulled))
        return fetched

    def push_tree(self, rel: str, delete: bool = False) -> int:
        """Upload mirror files under `rel` that the store lacks or holds at another size;
        with `delete`, remove store files the mirror no longer has (e.g. compacted parts)."""
        local = self._local_files(rel)
        remote = self.files(rel)
        sent = 0
        for name, size in sorted(local.items()):
            if remote.get(name) != size:
                self.push(_join(rel, name))
                sent += 1
        if delete:
            for name in remote.keys() - local.keys():
                self.fs.rm_file(self.remote_path(_join(rel, name)))
        return sent

    def read_text(self, rel: str) -> str | None:
        try:
            with self.fs.open(self.remote_path(rel), "r") as handle:
                return str(handle.read())
        except FileNotFoundError:
            return None

    def write_text(self, rel: str, text: str) -> None:
        self.fs.makedirs(self.remote_path(rel).rsplit("/", 1)[0], exist_ok=True)
        with self.fs.open(self.remote_path(rel), "w") as handle:
            handle.write(text)

    def remove_tree(self, rel: str) -> None:
        if self.fs.exists(self.remote_path(rel)):
            self.fs.rm(self.remote_path(rel), recursive=True)
