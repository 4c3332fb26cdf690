from __future__ import annotations

from pathlib import Path

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


# Inert markup a browser never shows as the page, placed inside the article body.
TEMPLATE = (
    "<template><p>Officials said the harbour would reopen to container ships on Friday, after "
    "divers cleared the wreck from the main channel and inspectors signed off the quay.</p>"
    "</template>"
)
NOSCRIPT = (
    "<noscript><p>Residents said the harbour had been closed for nine days, and fishermen "
    "complained that nobody had told them when the channel would be clear again.</p></noscript>"
)


def test_template_and_noscript_in_a_real_page_never_reach_text_or_title(corpora: Path) -> None:
    page = (corpora / "trafilatura-cache" / "html" / "dw.com.colonial.html").read_text()
    original = extract_html(page)
    second = next(line for line in original.text.split("\n")[1:] if len(line) > 80)
    at = page.index("</p>", page.index(second[:30])) + len("</p>")
    hostile = page[:at] + TEMPLATE + NOSCRIPT + page[at:]
    hostile = hostile.replace("<head>", "<head><template><title>Row</title></template>", 1)
    got = extract_html(hostile)
    assert "container ships" not in got.text
    assert "nine days" not in got.text
    assert (got.text, got.title) == (original.text, original.title)


def test_noscript_stays_out_of_a_short_page_read_in_recall_mode() -> None:
    # Under 50 words the recall pass has a look too; it keeps <noscript> on its own.
    page = (
        "<html><head><title>Council</title></head><body><article><p>The council met on Monday "
        f"to vote on the budget for next year.</p>{NOSCRIPT}{TEMPLATE}</article></body></html>"
    )
    assert (
        extract_html(page).text == "The council met on Monday to vote on the budget for next year."
    )


def test_nul_never_reaches_text_from_either_extractor() -> None:
    assert extract_text("Budget\x00 rose.\n").text == "Budget rose."
    page = "<html><body><article><p>The budget\x00 rose by 4 percent.</p></article></body></html>"
    assert "\x00" not in extract_html(page).text


def test_a_site_name_holding_markup_is_not_taken_for_the_outlet() -> None:
    body = (
        "<p>" + "The harbour council voted on Tuesday to spend more on the seawall. " * 8 + "</p>"
    )
    head = '<meta property="og:site_name" content="&lt;svg onload=alert(8)&gt;">'
    page = f"<html><head>{head}{{url}}</head><body><article>{body}</article></body></html>"
    assert extract_html(page.format(url="")).sitename is None
    url = '<meta property="og:url" content="https://www.harbourtimes.example/seawall">'
    assert extract_html(page.format(url=url)).sitename == "harbourtimes.example"
