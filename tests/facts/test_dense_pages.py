"""A page of thousands of quotes costs work in proportion to its length.

A 9 MB quote-dense page is under the size limit; when mentions and quotes re-read every
mention, event or line of the article for each quote, four times the page was sixteen times
the work and that one page stalled a build. The work is counted as calls into newsfacts'
own code (deterministic, unlike a stopwatch on a shared machine): before the fix, four times
the page made 13.3 times the calls.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from benchmarks.dense.page import dense_text
from newsfacts.facts.entities.occurrences import Taken, whole_word_starts
from newsfacts.facts.entities.reference import load_reference
from newsfacts.facts.per_document import mention_rows, quote_rows

SMALL, LARGE = 50_000, 200_000  # characters; LARGE is four times SMALL


class _Calls:
    n = 0


@contextmanager
def counting_calls() -> Iterator[_Calls]:
    """Counts every call of a function (comprehensions and key functions included) defined
    in newsfacts' own modules."""
    calls = _Calls()

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and "/newsfacts/" in frame.f_code.co_filename:
            calls.n += 1

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(None)


def _chain(text: str) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    index = load_reference()
    with counting_calls() as calls:
        mentions = mention_rows(index, ("dense", text, "en"))
        quotes = quote_rows(index, ("dense", text, "en", mentions))
    return calls.n, mentions, quotes


def test_four_times_the_page_is_about_four_times_the_work() -> None:
    small_calls, small_mentions, small_quotes = _chain(dense_text(SMALL))
    large_calls, large_mentions, large_quotes = _chain(dense_text(LARGE))
    assert 3.6 <= len(large_quotes) / len(small_quotes) <= 4.4
    assert 3.6 <= len(large_mentions) / len(small_mentions) <= 4.4
    assert sum(q["speaker_name"] is not None for q in large_quotes) >= 0.95 * len(large_quotes)
    assert large_calls / small_calls < 4.6  # linear, with a little slack for the fixed part


def test_names_found_in_one_pass_are_those_a_search_per_name_finds() -> None:
    text = dense_text(LARGE) + " Roe-Smith Roe_ Roe, ‘Roe’ xRoe Jane Roe Jane Roes Jane Roe"
    names = {row["surface"] for row in mention_rows(load_reference(), ("d", text, "en"))}
    forms = sorted(names | {n.split()[-1] for n in names} | {"Jane Roe", "’Roe", "Roe’"})
    one_pass = whole_word_starts(text, forms)  # many names × a long text: the pass over words
    for form in forms:
        at, expected = text.find(form), []
        while at != -1:
            end = at + len(form)
            before = text[at - 1] if at else " "
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
                expected.append(at)
            at = text.find(form, at + 1)
        assert one_pass[form] == expected, form


def test_taken_stretches_overlap_exactly_as_spans_do() -> None:
    rng = random.Random(3)
    spans: list[tuple[int, int]] = []
    taken = Taken(1000)
    for _ in range(400):
        start = rng.randrange(990)
        end = start + rng.randrange(1, 10)
        expected = any(s < end and start < e for s, e in spans)
        assert taken.overlaps(start, end) == expected
        if not expected:
            spans.append((start, end))
            taken.add(start, end)
