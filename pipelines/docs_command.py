"""`newsfacts docs`: the Data Docs of a data dir, served on this machine over HTTP.

GX's pages link to each other and to their stylesheets by relative paths, which a browser will
not follow from a `file://` page opened out of the Dagster UI; served, every link works and the
published asset's `data_docs` link opens them. Bound to 127.0.0.1 only: the pages show rows of
the data.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """One line per request on stderr is noise next to the URL the command prints."""


def docs_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """A server for `folder` on 127.0.0.1:`port` (0: any free port), not yet serving."""
    handler = partial(_QuietHandler, directory=str(folder))
    return ThreadingHTTPServer((HOST, port), handler)


def cmd_docs(args: argparse.Namespace) -> int:
    from pipelines.build_command import data_dir_settings

    settings = data_dir_settings(args)
    folder = settings.data_path / "quality"
    if remote := settings.remote:
        remote.pull_tree("quality")
    if not (folder / "index.html").is_file():
        print(f"error: no Data Docs under {folder}: build first", file=sys.stderr)
        return 2
    try:
        server = docs_server(folder, args.port)
    except OSError as exc:
        print(f"error: cannot serve on {HOST}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    with server:
        print(f"Data Docs: http://{HOST}:{server.server_address[1]}/index.html", flush=True)
        print(f"serving {folder} (Ctrl-C stops)", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
