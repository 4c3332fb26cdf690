"""The asset graph page, rendered by headless Chromium against the real webserver."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from newsfacts.store.columns import load_tables
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


LATEST_RUN = "{ runsOrError(limit: 1) { ... on Runs { results { runId status jobName } } } }"
RUN_SECONDS = 300


def _latest_run(webserver: Webserver) -> dict[str, str] | None:
    runs = webserver.graphql(LATEST_RUN)["runsOrError"]["results"]
    return runs[0] if runs else None


def test_a_run_launched_in_the_browser_succeeds_and_the_quotes_page_reads_well(
    webserver: Webserver, tmp_path: Path
) -> None:
    """As a data engineer: launch the build job from its launchpad, watch the run succeed, then
    open the quotes asset and find its kinds, owner and what its columns mean."""
    _require_browser()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    column = load_tables()["quotes"].column("quote_text")
    assert column is not None
    described = column.description
    before = _latest_run(webserver)
    shots: list[Path] = []

    def shot(page: object, name: str) -> None:
        path = tmp_path / f"{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        shots.append(path)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(
                f"{webserver.url}/locations/newsfacts/jobs/build/playground",
                wait_until="domcontentloaded",
            )
            skip = page.get_by_role("button", name="Skip")
            try:
                skip.wait_for(timeout=10_000)
                skip.click()
            except PlaywrightTimeout:
                pass
            launch = page.get_by_role("button", name="Launch run")
            launch.wait_for(timeout=60_000)
            shot(page, "launchpad")
            launch.click()
            page.wait_for_url("**/runs/**", timeout=60_000)
            run_id = page.url.rstrip("/").split("/")[-1]
            deadline = time.monotonic() + RUN_SECONDS
            run = _latest_run(webserver)
            while run is None or run == before or run["status"] not in ("SUCCESS", "FAILURE"):
                assert time.monotonic() < deadline, f"run still {run}"
                time.sleep(2)
                run = _latest_run(webserver)
            page.reload(wait_until="domcontentloaded")
            page.get_by_text("Success").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            shot(page, "run-succeeded")
            page.goto(f"{webserver.url}/assets/quotes", wait_until="domcontentloaded")
            page.get_by_text(described).first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            shot(page, "quotes-asset")
            body = page.inner_text("body")
        finally:
            browser.close()
    assert run["status"] == "SUCCESS" and run["jobName"] == "build"
    assert run["runId"].startswith(run_id[:8]), (run, run_id)
    for kind in ("polars", "parquet", "great expectations"):  # as the UI names the kinds
        assert kind in body.lower(), kind
    assert "data-engineering" in body
    assert described in body
    assert len(shots) == 3 and all(s.stat().st_size > 10_000 for s in shots)
