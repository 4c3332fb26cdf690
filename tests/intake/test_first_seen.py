"""The first-seen ledger: a document's day is set once and survives rebuilds and races."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsfacts.intake.first_seen import (
    FirstSeenError,
    first_seen_dates,
    load_first_seen,
    save_first_seen,
)

MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


def test_a_document_keeps_the_day_it_first_arrived(tmp_path: Path) -> None:
    ledger = tmp_path / "state" / "first_seen.json"
    assert load_first_seen(ledger) == {}
    assert save_first_seen(ledger, first_seen_dates({}, ["a", "b"], MONDAY))
    tuesday = first_seen_dates(load_first_seen(ledger), ["a", "c"], TUESDAY)
    assert tuesday == {"a": MONDAY, "b": MONDAY, "c": TUESDAY}  # b left the inbox, kept
    assert save_first_seen(ledger, tuesday)
    assert not save_first_seen(ledger, tuesday)  # nothing new: not rewritten
    assert load_first_seen(ledger) == tuesday


def test_an_overlapping_run_cannot_move_a_date_forward(tmp_path: Path) -> None:
    ledger = tmp_path / "first_seen.json"
    save_first_seen(ledger, {"a": MONDAY})
    save_first_seen(ledger, {"a": TUESDAY, "b": TUESDAY})  # a run that started from no ledger
    assert load_first_seen(ledger) == {"a": MONDAY, "b": TUESDAY}


@pytest.mark.parametrize("content", ["not json", '{"format": 99, "documents": {}}', "[]"])
def test_a_damaged_ledger_is_refused_not_reset(tmp_path: Path, content: str) -> None:
    ledger = tmp_path / "first_seen.json"
    ledger.write_text(content)
    with pytest.raises(FirstSeenError, match="delete it to date every document"):
        load_first_seen(ledger)
