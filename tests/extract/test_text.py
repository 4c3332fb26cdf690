from __future__ import annotations

import pytest

from newsfacts.extract.text import clean_lines, extract_html, extract_text

FORBIDDEN_IN_000 = ("Advertisements", "getAdSnippetCallback", "Discover more", "Subscribe", "<")


def test_html_seed_keeps_first_and_last_paragraph_and_drops_furniture(
    seed_texts: dict[str, str],
) -> None:
    text = seed_texts["000"]
    paragraphs = text.split("\n")
    assert paragraphs[0].startswith("European defence ministers are meeting in Copenhagen")
    assert paragraphs[-1].endswith("She will start in Latvia.")
    for residue in FORBIDDEN_IN_000:
        assert residue not in text
    assert "Firefighters work on the site" not in text  # the figure caption


def test_plain_text_teasers_and_end_marks_are_dropped(seed_texts: dict[str, str]) -> None:
    assert "READ MORE" not in seed_texts["003"].split("\n")
    assert "– Ends" not in seed_texts["002"]
    assert seed_texts["002"].endswith("discuss potential mediation efforts.")


def test_line_cleaner_keeps_sentences_that_mention_subscribe() -> None:
    raw = "Readers who subscribe to the paper get it first.\nSubscribe now\nREAD MORE\n– Ends\n"
    assert clean_lines(raw) == "Readers who subscribe to the paper get it first."


def test_text_with_only_boilerplate_is_an_error() -> None:
    with pytest.raises(ValueError, match="no article text"):
        extract_text("READ MORE\nAdvertisement\n")


def test_html_without_body_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="no article text"):
        extract_html("<html><head><title>x</title></head><body></body></html>")
