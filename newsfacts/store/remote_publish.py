"""Publishing to an object-store data dir, on top of the local publish of its mirror.

`newsfacts.store.publish` makes the version in the local mirror as for any data dir; these
functions first bring the mirror's view of the published versions up to date with the store,
then upload the new version in the order that makes it appear atomically to readers of the
store: its files, then its `_manifest.json`, then the `published/latest` pointer, then a
catalog whose views read the store's URLs directly.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from newsfacts.store.publish import (
    CATALOG,
    LATEST,
    MANIFEST_FILE,
    build_catalog,
    latest_version,
    point_latest,
    published_dir,
    read_manifest,
)
from newsfacts.store.remote import Remote

POINTER = f"published/{LATEST}"


def remote_latest(remote: Remote) -> str | None:
    return (remote.read_text(POINTER) or "").strip() or None


def pull_versions(remote: Remote, data_dir: Path) -> None:
    """Mirror every version's manifest, the latest version's tables (the mirror's own catalog
    reads them) and the `latest` pointer; `diff` pulls the older versions it reads."""
    remote.pull_tree("published", suffix=MANIFEST_FILE)
    current = remote_latest(remote)
    link = published_dir(data_dir) / LATEST
    if current and (published_dir(data_dir) / current / MANIFEST_FILE).is_file():
        pull_version_files(remote, current)
        if latest_version(data_dir) != current:
            point_latest(data_dir, current)
    elif link.is_symlink() or link.exists():
        link.unlink()


def pull_version_files(remote: Remote, version: str) -> None:
    remote.pull_tree(f"published/{version}")


def push_version(remote: Remote, data_dir: Path, version: str) -> str:
    """Upload what the store lacks of `version`, move the pointer, upload the catalog;
    returns the catalog's URL. Safe to repeat after a crash at any point."""
    folder = published_dir(data_dir) / version
    rel = f"published/{version}"
    stored = remote.files(rel)
    names = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.name != MANIFEST_FILE and not p.name.startswith(".")
    )
    for name in [*names, MANIFEST_FILE]:  # the manifest last: it is what makes a version
        if stored.get(name) != (folder / name).stat().st_size:
            remote.push(f"{rel}/{name}")
    if remote_latest(remote) != version:
        remote.write_text(POINTER, version + "\n")
    tables = list(read_manifest(data_dir, version)["row_counts"])
    sources = {t: remote.url_of(f"{rel}/{t}.parquet") for t in tables}
    with tempfile.TemporaryDirectory(prefix="newsfacts-catalog-") as tmp:
        catalog = Path(tmp) / CATALOG
        protocols = remote.fs.protocol
        native = {protocols} if isinstance(protocols, str) else set(protocols)
        filesystem = None if native & {"file", "local"} else remote.fs
        build_catalog(catalog, version, sources, remote.url_of(rel), filesystem)
        # One upload of a complete file: readers get the old catalog or the new one.
        remote.fs.put_file(str(catalog), remote.remote_path(CATALOG))
    return remote.url_of(CATALOG)


def remove_versions(remote: Remote, versions: Iterable[str]) -> None:
    """Retention on the store: the manifest goes first, so a version never looks complete
    while its files are being deleted."""
    for version in versions:
        manifest = remote.remote_path(f"published/{version}/{MANIFEST_FILE}")
        if remote.fs.exists(manifest):
            remote.fs.rm_file(manifest)
        remote.remove_tree(f"published/{version}")
