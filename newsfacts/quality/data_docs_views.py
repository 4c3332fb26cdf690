"""Data Docs page views that keep their compiled templates on disk and escape the data they show.

GX makes a new Jinja environment for every rendering of the docs and compiles its ~50 page
templates again: a third of rendering them, on every build's publish step. Jinja's bytecode
cache keeps the compiled templates (checked against each template's source and the Python
version) so that later builds only read them back. The site builder takes these views by
class name from its configuration (`newsfacts.quality.data_docs.write_data_docs`).

GX escapes the parameters of its string templates, but a table cell or list item that is a
plain string (the unexpected values of a failed check: titles, urls, speaker names taken from
the pages) goes into the page as it is, so a page whose ``og:url`` holds ``<img onerror=…>``
would run a script in whoever opens the report. GX's own markup always comes as rendered
content objects, never as plain strings, so escaping every plain string is safe.
"""

from __future__ import annotations

import contextlib
import html
from pathlib import Path
from typing import Any

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import FileSystemBytecodeCache, pass_context
from jinja2.bccache import Bucket


class _TemplateCache(FileSystemBytecodeCache):
    """A damaged or unwritable cache file only means compiling that template again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile from source
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(folder: str | None) -> _TemplateCache | None:
    if not folder:
        return None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateCache(folder)


class _KeptTemplates:
    """Gives a GX view's Jinja environment the on-disk cache (`template_cache_dir`)."""

    env: Any

    def __init__(self, template_cache_dir: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.env.bytecode_cache = template_cache(template_cache_dir)


def _escaped(block: Any) -> Any:
    if isinstance(block, str):
        return html.escape(block)
    if isinstance(block, list):
        return [html.escape(item) if isinstance(item, str) else item for item in block]
    return block


class _EscapedData:
    """Escapes plain-string content blocks before GX puts them into the page."""

    @pass_context
    def render_content_block(
        self, jinja_context: Any, content_block: Any, *args: Any, **kwargs: Any
    ) -> Any:
        return super().render_content_block(  # type: ignore[misc]
            jinja_context, _escaped(content_block), *args, **kwargs
        )


class CachedPageView(_EscapedData, _KeptTemplates, DefaultJinjaPageView):
    pass


class CachedIndexPageView(_EscapedData, _KeptTemplates, DefaultJinjaIndexPageView):
    pass
