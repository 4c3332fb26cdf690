"""Turn a raw document (HTML or plain text) into clean body text plus page metadata.

HTML goes through trafilatura tuned for precision; plain text, which trafilatura cannot handle,
goes through a line cleaner. Both outputs pass the same boilerplate-line filter, so "Subscribe"
footers and "READ MORE" teasers are dropped whatever the input format.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import trafilatura
from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document
from trafilatura.utils import HTML_PARSER, load_html

# Whole lines that are page furniture, not journalism. Anchored, so a sentence that merely
# contains "subscribe" survives.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        read\s+more(?:\s*[:›»>].*)? |
        (?:[-–—]\s*)?ends\.?(?:\s*[-–—])? |
        advertisements? |
        sponsored(?:\s+content)? |
        discover\s+more\s+from\b.* |
        subscribe\b.* |
        sign\s+up\b.*(?:newsletter|email|inbox).* |
        (?:share|follow\s+us)\s+(?:this|on)\b.{0,60} |
        click\s+here\b.{0,80} |
        related(?:\s+(?:articles?|stories|coverage))?\s*:.* |
        (?:also\s+)?read\s*:.{0,120} |
        (?:image|photo|picture|video)\s*(?:credit)?\s*:.{0,160} |
        copyright\s+©?.{0,120} |
        ©.{0,120} |
        all\s+rights\s+reserved\.?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    published_at: date | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    # Counted once where the text is chosen: a regex pass over the text is not free at 10k
    # pages, and the length decides which extraction pass wins anyway.
    word_count: int = 0


class ExtractionError(ValueError):
    """No article text could be found; the message is the reject reason."""


def is_boilerplate_line(line: str) -> bool:
    return bool(_BOILERPLATE_LINE.match(line.strip()))


def clean_lines(text: str) -> str:
    """Normalise whitespace, drop boilerplate lines, keep one paragraph per line."""
    # NUL is never text (intake drops it; this holds for any caller of the extractors).
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    kept: list[str] = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line and not is_boilerplate_line(line):
            kept.append(line)
    return "\n".join(kept)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# Below this many words the precision pass has probably latched onto a notice or teaser
# instead of the article (e.g. a reprint notice); recall mode gets a second look.
_MIN_PRECISE_WORDS = 50
# trafilatura's own extractor, without its comparison against readability and jusText, takes
# half the time of the full cascade and gives the same text on most pages. The pages where the
# comparison matters are those where the own extractor comes back short (a teaser, a caption):
# below this many words the full cascade runs instead. On the extraction benchmarks every page
# the fast pass got wrong had fewer than 150 words.
_MIN_FAST_WORDS = 150


# Guessing dates from image URLs gives month-only dates that look exact (e.g. the first of the
# month); only dates stated by the page are taken.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _page_metadata(tree: HtmlElement) -> Document:
    """Title, date, site name and url, found exactly as trafilatura's `extract_metadata` finds
    them, without its author, category, tag and license searches: those take two thirds of its
    time (~10 ms a page) and the tables use none of them. Computed once per page, not once per
    extraction pass."""
    meta = examine_meta(tree)
    # As trafilatura does: a bug in its JSON-LD parsing must not lose the page.
    with contextlib.suppress(Exception):
        meta = extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.url:
        meta.url = extract_url(tree)
    meta.date = find_date(tree, url=meta.url, **_DATE_PARAMS)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename and ("<" in meta.sitename or ">" in meta.sitename):
        meta.sitename = None  # an outlet's name never holds markup: a broken or hostile tag
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


def _trafilatura(tree: HtmlElement, favor_precision: bool, fast: bool = False) -> str:
    doc: Document | None = trafilatura.bare_extraction(  # type: ignore[assignment]
        tree,  # copied by trafilatura, so both passes start from the same parsed page
        favor_precision=favor_precision,
        include_comments=False,
        # Older and data-heavy sites lay the article out in tables (standings, results);
        # without tables those pages come out empty or cut short.
        include_tables=True,
        include_images=False,
        with_metadata=False,
        deduplicate=False,
        fast=fast,
    )
    return clean_lines(doc.text or "") if doc is not None else ""


# libxml2 stops building the tree 256 levels down and silently drops everything deeper, so a
# page wrapped in thousands of <div>s would lose its article text.
_TAG_RUN = re.compile(r"(?:</?[A-Za-z][^<>]*>\s*){64,}")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*>")


def _collapse_run(match: re.Match[str]) -> str:
    seen: set[tuple[str, str]] = set()
    kept: list[str] = []
    for tag in _TAG.finditer(match.group(0)):
        key = (tag.group(1), tag.group(2).lower())
        if key not in seen:
            seen.add(key)
            kept.append(tag.group(0))
    return "".join(kept)


def _flatten_tag_runs(raw: str) -> str:
    """In runs of 64+ consecutive tags with no text between them (wrapper chains that carry
    only depth), keep the first opening and the first closing tag of each name. Used only on
    pages nested deeper than the parser can read."""
    return _TAG_RUN.sub(_collapse_run, raw)


# Content a browser never shows as the page: a <template> is inert markup for scripts to
# clone, and <noscript> is what a reader without JavaScript gets instead of the page ("please
# enable JavaScript", a tracking pixel). trafilatura strips the <template> tag but keeps its
# text, and its recall pass keeps <noscript>; both go before metadata and text are read.
_NEVER_SHOWN = XPath(".//template|.//noscript")


def _parse(raw: str) -> tuple[HtmlElement | None, bool]:
    """The page parsed once for both metadata and text, and whether the parser hit its depth
    limit (trafilatura's parser keeps the log of its last run): a separate parse just to look
    at the depth cost ~3 ms a page."""
    tree = load_html(raw)
    deep = tree is not None and any(
        "Excessive depth" in entry.message for entry in HTML_PARSER.error_log
    )
    if tree is not None:
        tree = prune_unwanted_nodes(tree, [_NEVER_SHOWN])
    return tree, deep


def extract_html(raw: str) -> Extracted:
    tree, deep = _parse(raw)
    if deep:
        tree, deep = _parse(_flatten_tag_runs(raw))
        if deep:
            raise ExtractionError(
                "HTML nested deeper than the parser's 256-level limit, with text between the "
                "levels: cannot be read without losing content"
            )
    if tree is None:
        raise ExtractionError("no article text found in the HTML (trafilatura returned nothing)")
    doc = _page_metadata(tree)
    text = _trafilatura(tree, favor_precision=True, fast=True)
    words = word_count(text)
    if words < _MIN_FAST_WORDS:
        text = _trafilatura(tree, favor_precision=True)
        words = word_count(text)
    if words < _MIN_PRECISE_WORDS:
        fallback_text = _trafilatura(tree, favor_precision=False)
        fallback_words = word_count(fallback_text)
        if fallback_words > words:
            text, words = fallback_text, fallback_words
    if not text:
        raise ExtractionError("no article text found in the HTML (trafilatura returned nothing)")
    return Extracted(
        text=text,
        title=(doc.title or None),
        published_at=_parse_date(doc.date),
        sitename=(doc.sitename or None),
        url=(doc.url or None),
        language=(doc.language or None),
        word_count=words,
    )


def extract_text(raw: str) -> Extracted:
    text = clean_lines(raw)
    if not text:
        raise ExtractionError("no article text: every line is boilerplate or blank")
    return Extracted(text=text, word_count=word_count(text))


def extract(raw: str, fmt: str) -> Extracted:
    return extract_html(raw) if fmt == "html" else extract_text(raw)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
