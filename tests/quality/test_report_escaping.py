"""Every report the project writes shows data from pages as text, never as live markup.

A real build takes in a page whose title, url, outlet and quotes carry script-bearing markup
(by HTML and by manifest), and a check fails on it so its values are listed in Data Docs; then
every HTML page under the data dir is parsed the way a browser would and the markdown previews
of the Dagster UI are read.
"""

from __future__ import annotations

import html
from pathlib import Path

import dagster as dg
import pytest
from lxml import html as lxml_html

from tests.helpers import copy_seeds, materialize_all

PAYLOADS = (
    "<img src=x onerror=alert(7)>",
    "<svg onload=alert(8)>",
    "<script>alert(9)</script>",
)
IMG, SVG, SCRIPT = PAYLOADS

PAGE = f"""<!doctype html><html><head><title>Harbour vote {html.escape(SCRIPT)}</title>
<meta property="og:url" content="{html.escape(IMG)}">
<meta property="og:site_name" content="{html.escape(SVG)}">
</head><body><article><h1>Harbour council votes on the seawall</h1>
<p>The harbour council voted on Tuesday to spend £5 million on the seawall, the mayor said.
"We are {html.escape(IMG)} happy with this," said Jane Roe, the mayor of the town.</p>
<p>Residents have complained about flooding for years, and the new budget is meant to raise
300 metres of the wall before the winter, officials said in a statement on the council site.</p>
<p>"It is about time {html.escape(SCRIPT)}," said John Smith, a resident for 40 years.</p>
</article></body></html>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("escaping")
    inbox = copy_seeds(root / "inbox")
    (inbox / "harbour.html").write_text(PAGE)
    (inbox / "wire.txt").write_text(
        "The port authority said on Monday that 1,200 containers were moved last week. "
        f'"Traffic is back {SVG}," said Ann Lee, its director, in a statement.\n'
    )
    manifest = inbox / "manifest.csv"
    manifest.write_text(
        manifest.read_text()
        + f'wire.txt,"{SVG}","javascript:{IMG}",2025-03-04,"Port {SCRIPT} reopens"\n'
    )
    data_dir = root / "data"
    result = materialize_all(inbox, data_dir)
    assert result.success
    return data_dir, result


def _live_markup(page: Path) -> list[str]:
    """What a browser would run from the payloads (all call ``alert(``): an element with an
    event handler or content that calls it (GX's own pages have handlers of their own)."""
    tree = lxml_html.fromstring(page.read_bytes())
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        live = [f"{element.tag} {k}={v}" for k, v in element.attrib.items() if "alert(" in v]
        if element.tag == "script" and "alert(" in (element.text or ""):
            live.append(f"script {element.text}")
        found += live
    return found


def test_data_docs_show_page_markup_as_text(built: tuple[Path, dg.ExecuteInProcessResult]) -> None:
    data_dir, _ = built
    pages = sorted((data_dir / "quality").rglob("*.html"))
    assert len(pages) > 10
    assert {page.name: _live_markup(page) for page in pages} == {page.name: [] for page in pages}
    # The values did reach the reports, as text: the url check lists the manifest's url.
    shown = " ".join(lxml_html.fromstring(p.read_bytes()).text_content() for p in pages)
    assert f"javascript:{IMG}" in shown


def test_ui_previews_escape_page_markup(built: tuple[Path, dg.ExecuteInProcessResult]) -> None:
    _, result = built
    previews = [
        value.value
        for event in result.get_asset_materialization_events()
        for value in event.materialization.metadata.values()
        if isinstance(value, dg.MarkdownMetadataValue)
    ]
    previews += [
        value.value
        for event in result.get_asset_check_evaluations()
        for value in event.metadata.values()
        if isinstance(value, dg.MarkdownMetadataValue)
    ]
    text = "\n".join(previews)
    assert html.escape(SVG, quote=False) in text  # the outlet reached a preview, escaped
    assert not [p for p in PAYLOADS if p in text]
