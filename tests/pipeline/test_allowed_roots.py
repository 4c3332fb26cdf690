"""The roots a UI-launched run's inbox and data dir must lie in, and the resources that hold
a run to them."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest

from assets.settings import NewsfactsSettings
from pipelines.allowed_roots import (
    PROJECT_DIR,
    ROOTS_VARIABLE,
    is_within,
    outside_roots,
    parse_roots,
    roots_from,
)
from pipelines.definitions import BUILD_JOB, build_definitions
from pipelines.rooted_resources import RootedSettings, RootedStagedParquetIOManager
from tests.helpers import copy_seeds


def test_roots_split_on_pathsep_but_keep_urls_whole() -> None:
    text = os.pathsep.join(["/srv/news", "s3://bucket/inbox", "", " /data "])
    assert parse_roots(text) == ["/srv/news", "s3://bucket/inbox", "/data"]


def test_unset_roots_are_the_locations_given_plus_the_project() -> None:
    assert roots_from({}, ["/in", None, "/data"]) == ["/in", "/data", str(PROJECT_DIR)]
    assert roots_from({ROOTS_VARIABLE: "/only"}, ["/in"]) == ["/only"]


def test_a_path_is_within_a_root_by_its_resolved_location(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    roots = [str(root)]
    assert is_within(str(root), roots)
    assert is_within(str(root / "inbox"), roots)
    assert is_within(str(root / "not-yet-made"), roots)
    assert not is_within(str(root / ".." / "elsewhere"), roots)
    assert not is_within(str(root / "link"), roots)  # a symlink out of the root
    assert not is_within(str(tmp_path / "root-sibling"), roots)  # a prefix is not a parent


def test_a_url_is_within_only_a_listed_url() -> None:
    roots = ["/srv/news", "s3://bucket/news/"]
    assert is_within("s3://bucket/news", roots)
    assert is_within("s3://bucket/news/inbox", roots)
    assert not is_within("s3://bucket/newsroom", roots)
    assert not is_within("s3://bucket/news/../other", roots)
    assert not is_within("s3://other/news", roots)
    assert not is_within("file:///srv/news", roots)  # a local root does not admit URLs
    assert not is_within("s3://bucket/news", ["/srv/news"])


def test_the_message_names_every_location_outside(tmp_path: Path) -> None:
    roots = [str(tmp_path / "root")]
    message = outside_roots(
        {"inbox": "/etc", "data_dir": str(tmp_path / "root" / "data"), "manifest": None}, roots
    )
    assert message is not None
    assert message.startswith("inbox '/etc' is outside the allowed roots")
    assert "data_dir" not in message and ROOTS_VARIABLE in message
    both = outside_roots({"inbox": "/etc", "data_dir": "/var"}, roots)
    assert both is not None and "inbox '/etc' and data_dir '/var' are outside" in both
    assert outside_roots({"inbox": str(tmp_path / "root" / "in")}, roots) is None


def _initialize(resource: dg.ConfigurableResource | dg.ConfigurableIOManager) -> None:
    with dg.build_resources({"resource": resource}):
        pass


def test_rooted_resources_refuse_locations_outside_the_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    monkeypatch.setenv(ROOTS_VARIABLE, str(root))
    _initialize(RootedSettings(inbox=str(root / "inbox"), data_dir=str(root / "data")))
    _initialize(RootedStagedParquetIOManager(data_dir=str(root / "data")))
    for refused, named in (
        (RootedSettings(inbox="/etc", data_dir=str(root / "data")), "inbox '/etc'"),
        (RootedSettings(inbox=str(root), manifest="/etc/passwd"), "manifest '/etc/passwd'"),
        (RootedStagedParquetIOManager(data_dir=str(tmp_path)), "io_manager data_dir"),
    ):
        with pytest.raises(dg.DagsterResourceFunctionError) as raised:
            _initialize(refused)
        failure = raised.value.user_exception
        assert isinstance(failure, dg.Failure)
        assert failure.description is not None and named in failure.description


def test_code_location_run_with_an_outside_data_dir_fails_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    monkeypatch.setenv("NEWSFACTS_INBOX", str(inbox))
    monkeypatch.setenv("NEWSFACTS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(ROOTS_VARIABLE, raising=False)
    elsewhere = tmp_path / "elsewhere"
    job = build_definitions().resolve_job_def(BUILD_JOB)
    run_config = {"resources": {"io_manager": {"config": {"data_dir": str(elsewhere)}}}}
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    assert not result.success
    failures = [e for e in result.all_events if e.event_type_value == "RESOURCE_INIT_FAILURE"]
    assert failures and "io_manager data_dir" in str(failures[0].event_specific_data)
    assert not elsewhere.exists()
    assert not (tmp_path / "data" / "staging").exists()


def test_the_cli_definitions_take_any_location(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ROOTS_VARIABLE, str(tmp_path / "root"))
    defs = build_definitions(NewsfactsSettings(inbox="/etc", data_dir=str(tmp_path)))
    settings = defs.resources["settings"]
    assert type(settings) is NewsfactsSettings
    _initialize(settings)
