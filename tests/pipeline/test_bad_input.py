"""A hostile inbox through the real pipeline: every good document publishes intact, every bad
file or manifest row lands in `rejects` with a specific reason, nothing outside the inbox is
read, and the run itself succeeds.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.helpers import copy_seeds, materialize_all
from tests.intake.samples import pdf

SENTINEL = "SENTINEL-5c1e0a9b: this line lives outside the inbox and must never be read"

FRENCH = (
    "Le gouvernement français a annoncé mercredi une hausse du budget de la défense. "
    "« Nous devons être prêts », a déclaré la ministre devant l'Assemblée nationale. "
    "Les députés de l'opposition ont critiqué une décision prise à la hâte, sans débat. "
    "Selon le ministère, les crédits financeront des équipements et la formation des soldats."
)
ZURICH = (
    "The city council of Zürich approved a new budget on Tuesday after a long debate. "
    "Councillors said the plan would fund schools, trams and a renovated café district. "
    "Critics argued that the naïve projections ignored rising energy costs in 2025. "
    "The mayor said the vote was “a clear mandate” for the coming years — and for Kyiv’s "
    "twin-city projects."
)
ACCRA = (
    "Accra’s port authority said on Wednesday that container traffic rose sharply in August. "
    "Officials credited a new customs system and longer opening hours at the terminal."
)
GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein neues Hilfspaket für die Ukraine beschlossen. "
    "Das Paket umfasst 500 Millionen Euro für Luftverteidigung und humanitäre Hilfe. "
    "„Wir stehen fest an der Seite der Ukraine“, sagte der Bundeskanzler in Berlin. "
    "Die Opposition kritisierte, dass der Bundestag nicht beteiligt worden sei.\n"
)
UNBALANCED = (
    "The foreign minister spoke to reporters on Monday in Brussels after the meeting.\n"
    "She said: “We will not accept this deal under any circumstances, and the talks go on.\n"
    "The talks resumed on Tuesday with delegations from twelve countries around the table.\n"
    "“This is a good day for Europe,” said John Smith, the chief negotiator.\n"
    "Officials said a final text could be agreed by Friday if the remaining gaps closed.\n"
)
ABSURD = (
    "The fund claimed assets of 10^30 dollars in a filing on Monday, regulators said.\n"
    "A second filing listed 1,000,000,000,000,000 dollars in liabilities and "
    "99999999999999999999999999 euros of debt, which auditors called impossible.\n"
)
HARBOUR = (
    "The harbour authority said on Monday that shipping traffic had recovered after the "
    "storm, with forty vessels entering the port before noon and more expected overnight."
)
DEEP = (
    "Engineers in Valparaíso finished the seawall repairs on Thursday, two weeks ahead of "
    "schedule, the regional government said in a statement to reporters."
)
LAGOS = (
    "Lagos state officials said on Thursday that the new rail line would open to passengers "
    "in the spring, after safety inspectors approved the last of the stations. Commuters "
    "welcomed the news, though many said the fares were still too high for daily use."
)
PADDED = (
    "Fishermen in Tromsø said the cod season had started late this year, and that the boats "
    "were landing smaller catches than the cooperative had hoped for."
)
HIDDEN = (
    "Hidden row: a script copies this paragraph into the page for every reader comment, "
    "and no reader ever sees it in this form."
)
NOSCRIPT = "Please enable JavaScript in your browser to see the interactive map of the line."
NESTING = 5_000
HUGE_BYTES = 50 * 1024 * 1024


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def _build_inbox(root: Path) -> Path:
    inbox = copy_seeds(root / "inbox")
    (root / "sentinel.txt").write_text(SENTINEL + "\n")

    # Bad files: each must be rejected with its own reason.
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "zero.html").write_bytes(b"")
    (inbox / "whitespace.txt").write_bytes(b"  \n\t\r\n   \n")
    (inbox / "random.bin").write_bytes(random.Random(1234).randbytes(64 * 1024))
    (inbox / "broken_utf16.txt").write_bytes(
        b"\xff\xfe" + "Half a sentence".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    )
    (inbox / "no_body.html").write_text(
        "<!doctype html><html><head><title>Nothing here</title><meta charset='utf-8'></head></html>"
    )
    with (inbox / "huge.html").open("wb") as handle:
        handle.write(b"<!doctype html><html><head><title>Huge</title></head><body>\n")
        chunk = b"<p>" + b"Filler words of an enormous page. " * 30 + b"</p>\n"
        handle.write(chunk * (HUGE_BYTES // len(chunk) + 1))
        handle.write(b"</body></html>\n")
    (inbox / "copy_of_accra.txt").write_text(ACCRA)
    os.symlink(root / "sentinel.txt", inbox / "link_out.txt")

    # Good documents in awkward shapes: each must publish with its text intact.
    (inbox / "accra.txt").write_text(ACCRA)
    (inbox / "utf16.txt").write_bytes(ZURICH.encode("utf-16"))  # with BOM
    (inbox / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    paragraph = f"<p>{HARBOUR}</p>"
    page = _page("Harbour reopens", paragraph * 3 + '<p class="lead">More to come.</p>')
    (inbox / "truncated.html").write_text(page[: page.rindex("</p>") + 4] + '<p class="lea')
    deep = "<div>" * NESTING + f"<p>{DEEP}</p>" * 2 + "</div>" * NESTING
    (inbox / "nested.html").write_text(_page("Seawall repaired", deep))
    (inbox / "german.txt").write_text(GERMAN)
    (inbox / "unbalanced.txt").write_text(UNBALANCED)
    (inbox / "absurd.txt").write_text(ABSURD)
    # UTF-32 with a BOM: must not be read as UTF-16 (its mark starts with UTF-16's).
    (inbox / "utf32.html").write_bytes(
        _page("Rail line approved", f"<p>{LAGOS}</p>").encode("utf-32")
    )
    body = (
        f"<p>{LAGOS}</p><template><p>{HIDDEN}</p></template><noscript><p>{NOSCRIPT}</p></noscript>"
    )
    (inbox / "template.html").write_text(_page("Rail line", body))
    # NULs well past the first 8 KB: dropped, never published.
    padded = (PADDED + "\n") * 60
    (inbox / "nul_padded.txt").write_bytes(padded.encode() + b"\x00" * 40 + PADDED.encode())
    (inbox / "report.pdf").write_bytes(pdf(LAGOS))

    manifest = inbox / "manifest.csv"
    manifest.write_text(
        manifest.read_text()
        + "../../etc/passwd,Evil Outlet,,2025-01-01,\n"
        + "../sentinel.txt,Evil Outlet,,2025-01-01,Stolen\n"
        + "/etc/hostname,Evil Outlet,,,\n"
        + "german.txt,Tagesschau,https://www.tagesschau.de/a,2025-02-30,Hilfspaket\n"
    )
    with manifest.open("ab") as handle:
        handle.write("accra.txt,Ghanaian Times,,2025-03-01,Accra’s port\n".encode("cp1252"))
        handle.write(b"utf16.txt,Z\xc3\xbcrich Post,," + b"9" * 5000 + b",Budget\n")
        handle.write(b"latin1.txt,Le Parisien,,2025-03-02,D\xc3\xa9fense\n")
    return inbox


GOOD = {
    "accra.txt",
    "utf16.txt",
    "latin1.txt",
    "truncated.html",
    "nested.html",
    "german.txt",
    "unbalanced.txt",
    "absurd.txt",
    "utf32.html",
    "template.html",
    "nul_padded.txt",
}

# (source_file, stage) -> the reason, exactly
REJECTED = {
    ("empty.txt", "documents"): "empty file (0 bytes)",
    ("zero.html", "documents"): "empty file (0 bytes)",
    ("whitespace.txt", "documents"): "empty document: only whitespace",
    ("random.bin", "documents"): (
        "binary content: NUL or control bytes, not a text or HTML document"
    ),
    ("huge.html", "documents"): (
        "too large: 50.0 MiB exceeds the 10.0 MiB limit (raise max_document_bytes to accept it)"
    ),
    ("copy_of_accra.txt", "documents"): "exact duplicate of accra.txt",
    ("link_out.txt", "documents"): "symlink to a path outside the inbox: not read",
    ("no_body.html", "articles"): (
        "no article text found in the HTML (trafilatura returned nothing)"
    ),
    ("../../etc/passwd", "manifest"): (
        "manifest.csv:7: source_file '../../etc/passwd' is not a path inside the inbox"
    ),
    ("../sentinel.txt", "manifest"): (
        "manifest.csv:8: source_file '../sentinel.txt' is not a path inside the inbox"
    ),
    ("/etc/hostname", "manifest"): (
        "manifest.csv:9: source_file '/etc/hostname' is not a path inside the inbox"
    ),
    ("german.txt", "manifest"): (
        "manifest.csv:10: published_at '2025-02-30' is not an ISO date (YYYY-MM-DD); "
        "the document uses its extracted date instead"
    ),
    ("report.pdf", "documents"): "not text: PDF document",
    ("accra.txt", "manifest"): (
        "manifest.csv:11: 'title' is not UTF-8 (byte 0x92); save the manifest as UTF-8 "
        "to use this row"
    ),
    ("utf16.txt", "manifest"): (
        "manifest.csv:12: 'published_at' is 5,000 characters long (limit 4,096)"
    ),
}

# ... and those whose reason quotes the codec's own wording after a fixed prefix
REJECTED_PREFIX = {
    ("broken_utf16.txt", "documents"): "undecodable: invalid utf-16 after BOM (",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(inbox, data dir) after one real pipeline run over the hostile inbox."""
    root = tmp_path_factory.mktemp("bad_input")
    inbox = _build_inbox(root)
    data_dir = root / "data"
    result = materialize_all(inbox, data_dir)
    assert result.success
    return inbox, data_dir


@pytest.fixture()
def con(published: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(published[1] / "catalog.duckdb"), read_only=True)
    yield connection
    connection.close()


def _articles(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, object]]:
    cursor = con.execute("select * from articles")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {str(row["source_file"]): row for row in rows}


def _views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The published tables: the catalog's own views."""
    query = "select view_name from duckdb_views() where not internal order by 1"
    return [row[0] for row in con.execute(query).fetchall()]


def test_every_good_document_is_published_and_nothing_else(
    con: duckdb.DuckDBPyConnection, published: tuple[Path, Path]
) -> None:
    seeds = {p.name for p in published[0].glob("00?_*.txt")}
    assert len(seeds) == 5
    assert set(_articles(con)) == seeds | GOOD


def test_every_bad_file_and_manifest_row_is_rejected_with_its_specific_reason(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.execute("select source_file, stage, reason from rejects").fetchall()
    got = {(source, stage): reason for source, stage, reason in rows}
    assert len(got) == len(rows), "one reject row per file and stage"
    assert got.keys() == REJECTED.keys() | REJECTED_PREFIX.keys()
    for key, reason in REJECTED.items():
        assert got[key] == reason, key
    for key, prefix in REJECTED_PREFIX.items():
        assert got[key].startswith(prefix), (key, got[key])


def test_utf16_and_latin1_documents_keep_every_character(con: duckdb.DuckDBPyConnection) -> None:
    articles = _articles(con)
    assert articles["utf16.txt"]["text"] == ZURICH
    assert articles["latin1.txt"]["text"] == FRENCH
    assert articles["utf16.txt"]["language"] == "en"
    assert articles["latin1.txt"]["language"] == "fr"


def test_utf32_template_and_nul_documents_publish_only_their_visible_text(
    con: duckdb.DuckDBPyConnection,
) -> None:
    articles = _articles(con)
    utf32 = articles["utf32.html"]
    expected = ("Rail line approved\n" + LAGOS, "utf-32", "html", "Rail line approved")
    assert (utf32["text"], utf32["encoding"], utf32["format"], utf32["title"]) == expected
    assert utf32["language"] == "en"
    assert articles["template.html"]["text"] == "Rail line\n" + LAGOS
    assert articles["nul_padded.txt"]["text"] == "\n".join([PADDED] * 61)
    nul_texts = con.execute("select count(*) from articles where contains(text, chr(0))")
    assert nul_texts.fetchone() == (0,)
    hidden = con.execute(
        "select count(*) from articles where contains(text, ?) or contains(text, ?)",
        [HIDDEN[:20], NOSCRIPT[:20]],
    )
    assert hidden.fetchone() == (0,)


def test_bad_manifest_rows_leave_the_good_rows_in_force(con: duckdb.DuckDBPyConnection) -> None:
    articles = _articles(con)
    assert articles["latin1.txt"]["outlet"] == "Le Parisien"
    assert articles["latin1.txt"]["title"] == "Défense"
    assert articles["latin1.txt"]["published_at"] == date(2025, 3, 2)
    # The rejected rows' documents publish on their own metadata.
    assert articles["accra.txt"]["outlet_source"] != "manifest"
    assert articles["utf16.txt"]["outlet_source"] != "manifest"


def test_truncated_and_deeply_nested_html_still_publish_their_text(
    con: duckdb.DuckDBPyConnection,
) -> None:
    articles = _articles(con)
    assert HARBOUR in str(articles["truncated.html"]["text"])
    assert articles["truncated.html"]["title"] == "Harbour reopens"
    assert DEEP in str(articles["nested.html"]["text"])
    assert "<div" not in str(articles["nested.html"]["text"])


def test_german_article_publishes_as_de_and_skips_the_english_only_stages(
    con: duckdb.DuckDBPyConnection,
) -> None:
    german = _articles(con)["german.txt"]
    assert german["language"] == "de"
    assert german["text"] == GERMAN.strip()
    # The manifest row with the impossible date is rejected, but its other fields still count.
    assert german["outlet"] == "Tagesschau"
    assert german["title"] == "Hilfspaket"
    assert german["published_at"] is None
    assert german["published_at_source"] == "unknown"
    tables = _views(con)
    assert "figures" in tables
    for table in ("figures", "quotes"):
        if table in tables:
            count = con.execute(
                f"select count(*) from {table} where article_id = ?", [german["article_id"]]
            ).fetchone()
            assert count == (0,), table


def test_unbalanced_quote_mark_does_not_swallow_the_article(
    con: duckdb.DuckDBPyConnection,
) -> None:
    article = _articles(con)["unbalanced.txt"]
    assert article["text"] == UNBALANCED.strip()
    tables = _views(con)
    if "quotes" not in tables:
        pytest.skip("the quotes table is not published (yet)")
    spans = con.execute(
        'select text, quote_text, "start", "end" from quotes where article_id = ?',
        [article["article_id"]],
    ).fetchall()
    # The quote opened in paragraph 2 never closes: it must not run on into the paragraphs
    # after it, nor pair with the closing mark of the well-formed quote two paragraphs later
    # (the quotes contract: an unclosed mark is ignored, not guessed).
    for text, _, start, end in spans:
        assert "\n" not in text, (text, start, end)
        assert "twelve countries" not in text, (text, start, end)
        assert "final text" not in text, (text, start, end)
    assert any(q.startswith("This is a good day for Europe") for _, q, _, _ in spans), spans


def test_absurd_numbers_publish_without_overflow(con: duckdb.DuckDBPyConnection) -> None:
    article = _articles(con)["absurd.txt"]
    assert article["text"] == ABSURD.strip()
    rows = con.execute(
        "select raw, value, amount_usd from figures where article_id = ?",
        [article["article_id"]],
    ).fetchall()
    for raw, value, amount_usd in rows:
        for number in (value, amount_usd):
            assert number is None or math.isfinite(number), (raw, number)


def test_nothing_outside_the_inbox_is_read(
    con: duckdb.DuckDBPyConnection, published: tuple[Path, Path]
) -> None:
    inbox, data_dir = published
    marker = SENTINEL[:20]
    tables = _views(con)
    assert {"articles", "rejects"} <= set(tables)
    for table in tables:
        columns = con.execute(f"select * from {table} limit 0").description
        for name, *_ in columns:
            hits = con.execute(
                f'select count(*) from {table} where cast("{name}" as varchar) like ?',
                [f"%{marker}%"],
            ).fetchone()
            assert hits == (0,), f"{table}.{name} holds text from outside the inbox"
    # No published title or outlet came from the rejected manifest rows either.
    outlets = {row[0] for row in con.execute("select outlet from articles").fetchall()}
    assert "Evil Outlet" not in outlets
    # Every document the run read resolves inside the inbox.
    staged = duckdb.execute(
        f"select path from read_parquet('{data_dir / 'staging' / 'documents.parquet'}')"
    ).fetchall()
    assert staged
    for (path,) in staged:
        assert Path(path).resolve().is_relative_to(inbox.resolve()), path
