"""The asset graph page, rendered by headless Chromium against the real webserver."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import Webserver

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("Debian's chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[dev]')")
    if missing:
        reason = "browser test needs " + " and ".join(missing)
        if os.environ.get("NEWSFACTS_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


# The asset graph shows one group per stage, in the data's order; each group shows its assets.
STAGE_GROUPS = {
    "intake": ("documents", "intake_rejects"),
    "extract": ("articles", "rejects"),
    "facts": ("mentions", "quotes", "entities", "figures"),
    "crosssource": ("quote_clusters", "claims", "claim_figures"),
    "store": ("published",),
}


def test_asset_graph_page_shows_the_stages_and_their_assets(
    webserver: Webserver, tmp_path: Path
) -> None:
    _require_browser()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    screenshot = tmp_path / "asset-graph.png"
    bodies = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{webserver.url}/asset-groups", wait_until="domcontentloaded")
            skip = page.get_by_role("button", name="Skip")
            try:  # first-visit newsletter dialog; nothing to do with the pipeline
                skip.wait_for(timeout=10_000)
                skip.click()
            except PlaywrightTimeout:
                pass
            for group in STAGE_GROUPS:
                page.get_by_text(group, exact=True).first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(screenshot), full_page=True)
            for group, assets in STAGE_GROUPS.items():
                page.goto(
                    f"{webserver.url}/locations/newsfacts/asset-groups/{group}",
                    wait_until="domcontentloaded",
                )
                page.get_by_text(assets[0], exact=True).first.wait_for(timeout=60_000)
                page.wait_for_load_state("networkidle")
                bodies[group] = page.inner_text("body")
        finally:
            browser.close()
    assert screenshot.stat().st_size > 10_000
    for group, assets in STAGE_GROUPS.items():
        shown = set(bodies[group].split())
        assert set(assets) <= shown, (group, assets)
