"""The clean text the pipeline would publish for one file: what quotes are read from.

Bytes go through the inbox's own decoding and format detection, so a gold annotation made
on this text is the text a build of the same file sees.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from newsfacts.extract.text import extract
from newsfacts.intake.formats import decode, detect_format


def page_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    raw, _encoding = decode(data)
    return extract(raw, detect_format(data)).text or ""
