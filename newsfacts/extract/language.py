"""The language of an article's text, with py3langid's model.

The model ships LZMA-compressed: unpacking it takes ~0.5 s in every process that classifies,
which is most of the extraction step of a rebuild that adds one page. Given a `store` folder
(the build's cache), the unpacked model is kept there and later processes load it in ~0.1 s.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from newsfacts.extract.text import word_count
from newsfacts.runtime.stored import file_digest, stored_or_built

# The language of a news article shows in its first paragraphs; classifying costs time in
# proportion to the text, and on the benchmark pages 1,000 characters (about 150 words) tell
# the same language as the whole text does.
LANGUAGE_SAMPLE_CHARS = 1000
_WORDS_NEEDED = 5
# Bumped if what is stored changes shape.
_STORED_FORMAT = 1


@cache
def _identifier(store: str | None) -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = MODEL_DIR / MODEL_FILE
    version = metadata.version("py3langid")
    name = f"langid-{file_digest(model)}-{version}-{_STORED_FORMAT}.pickle"
    folder = Path(store) if store is not None else None
    return stored_or_built(
        folder, name, LanguageIdentifier, lambda: LanguageIdentifier.from_model_file(model)
    )


def detect_language(text: str, store: Path | None = None) -> str | None:
    """ISO 639-1 code of the text's language; None when there is too little text to tell."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if word_count(sample) < _WORDS_NEEDED:
        return None
    lang, _score = _identifier(None if store is None else str(store)).classify(sample)
    return str(lang)
