"""A folder of pages without a manifest or dates still yields claims, by first-seen day."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tests.helpers import SEEDS, materialize_all, published_metadata


def test_seeds_without_manifest_still_flag_the_kyiv_death_toll_conflict(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)  # the pages only: no manifest.csv in or beside the inbox
    data_dir = tmp_path / "data"
    before = datetime.now(UTC).date()
    result = materialize_all(inbox, data_dir)
    assert result.success
    assert published_metadata(result)["status"] == "published"
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    articles = con.execute(
        "select content_sha256, published_at, first_seen_at from articles"
    ).fetchall()
    assert len(articles) == 5
    assert [a[1] for a in articles] == [
        None
    ] * 5  # the seeds state their dates in the manifest only
    assert all(before <= a[2] <= datetime.now(UTC).date() for a in articles)
    toll = con.execute(
        "select list_sort(values), conflict, claim_id from claims "
        "where kind = 'casualties' and subject = 'people killed'"
    ).fetchall()
    assert [(t[0], t[1]) for t in toll] == [([21.0, 23.0, 23.0, 25.0], True)]
    sources = con.execute(
        "select article_date_source, count(*) from claim_figures cf "
        "join articles a using (article_id) where cf.claim_id = ? "
        "and cf.article_date = coalesce(a.published_at, a.first_seen_at) group by all",
        [toll[0][2]],
    ).fetchall()
    assert sources == [("first_seen", 4)]
    ledger = json.loads((data_dir / "state" / "first_seen.json").read_text())
    assert set(ledger["documents"]) == {a[0] for a in articles}
