from __future__ import annotations

from newsfacts.duplicates import duplicate_groups, shingles, signature


def test_edited_wire_copies_group_and_other_reports_do_not(seed_texts: dict[str, str]) -> None:
    groups = duplicate_groups({k: signature(v) for k, v in seed_texts.items()})
    assert groups["000"] == groups["001"] == "000"
    assert groups["003"] == "003"
    assert groups["004"] == "004"
    assert groups["002"] == "002"


def test_a_lightly_edited_copy_joins_its_original(seed_texts: dict[str, str]) -> None:
    original = seed_texts["003"]
    edited = original.replace("Kyiv", "Kiev").replace("said", "says")
    groups = duplicate_groups({"a": signature(original), "b": signature(edited)})
    assert groups == {"a": "a", "b": "a"}


def test_short_texts_still_have_shingles() -> None:
    assert shingles("Two words") == {b"two words"}
    assert shingles("") == set()
