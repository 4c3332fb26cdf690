"""Language detection, and the unpacked model kept in the build's cache between runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import LanguageIdentifier

from newsfacts.extract import language
from newsfacts.extract.language import detect_language


@pytest.fixture(autouse=True)
def _fresh_process() -> None:
    """Each test starts as a new process would: no model loaded yet."""
    language._identifier.cache_clear()


def test_seed_articles_read_as_english_and_too_little_text_as_unknown(
    seed_texts: dict[str, str],
) -> None:
    assert {detect_language(text) for text in seed_texts.values()} == {"en"}
    german = (
        "Die Bundesregierung hat am Mittwoch neue Hilfen für die Ukraine beschlossen. "
        "Der Kanzler sagte, Deutschland werde weiterhin an der Seite des Landes stehen."
    )
    assert detect_language(german) == "de"
    assert detect_language("Kallas said.") is None


def test_the_model_is_kept_unpacked_and_a_damaged_copy_is_rebuilt(
    tmp_path: Path, seed_texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = seed_texts["000"]
    store = tmp_path / "langid"
    assert detect_language(text, store) == "en"
    [stored] = store.iterdir()
    assert stored.name.startswith("langid-") and stored.suffix == ".pickle"

    # A later process reads the kept copy: unpacking the shipped model again would fail here.
    def unpack(*_args: object, **_kwargs: object) -> LanguageIdentifier:
        raise AssertionError("the shipped model was unpacked again")

    language._identifier.cache_clear()
    with monkeypatch.context() as patched:
        patched.setattr(LanguageIdentifier, "from_model_file", unpack)
        assert detect_language(text, store) == "en"

    stored.write_bytes(b"cut short")
    language._identifier.cache_clear()
    assert detect_language(text, store) == "en"
    assert isinstance(language._identifier(str(store)), LanguageIdentifier)
    language._identifier.cache_clear()
    with monkeypatch.context() as patched:  # the damaged copy was replaced by a good one
        patched.setattr(LanguageIdentifier, "from_model_file", unpack)
        assert detect_language(text, store) == "en"
