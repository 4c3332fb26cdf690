"""Where tables go: atomic, immutable published versions, the DuckDB catalog, the data-dir
lock, version diffs and object-store data dirs.
"""
