"""Launch a build through the real webserver's GraphQL API and inspect what it recorded."""

from __future__ import annotations

import time

import duckdb
import pytest

from tests.e2e.conftest import LAUNCH, Webserver

pytestmark = pytest.mark.e2e

STATUS = "query Status($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
ASSETS = """
{
  assetNodes {
    assetKey { path }
    assetMaterializations(limit: 1) {
      runId
      metadataEntries { label ... on IntMetadataEntry { intValue } }
    }
  }
}
"""
CHECKS = """
{
  assetNodes {
    assetKey { path }
    assetChecksOrError {
      ... on AssetChecks {
        checks { name blocking executionForLatestMaterialization { runId status } }
      }
    }
  }
}
"""
RUN_TIMEOUT = 600


def _launch_and_wait(server: Webserver) -> str:
    params = {
        "selector": {
            "repositoryLocationName": "newsfacts",
            "repositoryName": "__repository__",
            "jobName": "build",
        },
        "runConfigData": {},
    }
    launched = server.graphql(LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + RUN_TIMEOUT
    status = "QUEUED"
    while status not in {"SUCCESS", "FAILURE", "CANCELED"}:
        assert time.monotonic() < deadline, f"run {run_id} still {status}"
        time.sleep(1)
        status = server.graphql(STATUS, {"id": run_id})["runOrError"]["status"]
    assert status == "SUCCESS", server.log.read_text()[-4000:]
    return run_id


def test_build_launched_through_graphql_materializes_and_publishes(webserver: Webserver) -> None:
    run_id = _launch_and_wait(webserver)
    nodes = {
        "/".join(node["assetKey"]["path"]): node for node in webserver.graphql(ASSETS)["assetNodes"]
    }
    for name in ("documents", "articles", "rejects", "published"):
        materializations = nodes[name]["assetMaterializations"]
        assert materializations and materializations[0]["runId"] == run_id, name
    article_meta = {
        entry["label"]: entry.get("intValue")
        for entry in nodes["articles"]["assetMaterializations"][0]["metadataEntries"]
    }
    assert article_meta["dagster/row_count"] == 5
    con = duckdb.connect(str(webserver.data_dir / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)

    checks = {
        f"{'/'.join(node['assetKey']['path'])}.{check['name']}": check
        for node in webserver.graphql(CHECKS)["assetNodes"]
        for check in (node["assetChecksOrError"] or {}).get("checks", [])
    }
    assert checks["quotes.quote_id_unique"]["blocking"] is True
    assert checks["quotes.speaker_resolved_share"]["blocking"] is False
    for table in ("articles", "quotes", "figures", "mentions", "entities", "rejects"):
        ours = [c for name, c in checks.items() if name.startswith(f"{table}.")]
        assert ours, table
        for check in ours:
            execution = check["executionForLatestMaterialization"]
            assert execution is not None and execution["runId"] == run_id
            assert execution["status"] == "SUCCEEDED", check["name"]
