"""Which GraphQL documents the UI refuses to take from a query string."""

from __future__ import annotations

from pipelines.ui_guards import changes_state

LAUNCH = "mutation Launch { launchRun(executionParams: {}) { __typename } }"
READ = "query Runs { runsOrError { __typename } }"


def test_queries_pass_and_mutations_and_subscriptions_do_not() -> None:
    assert not changes_state("{ version }", None)
    assert not changes_state(READ, None)
    assert changes_state(LAUNCH, None)
    assert changes_state("mutation { setNuxSeen }", None)
    assert changes_state("subscription { locationStateChangeEvents { __typename } }", None)


def test_the_operation_to_run_decides_when_a_document_holds_several() -> None:
    both = f"{READ}\n{LAUNCH}"
    assert not changes_state(both, "Runs")
    assert changes_state(both, "Launch")
    # no name, several operations, or a name that is not there: refused if any would change
    assert changes_state(both, None)
    assert changes_state(both, "Missing")
    assert not changes_state(f"{READ}\nquery Other {{ version }}", None)


def test_a_document_that_does_not_parse_is_left_to_the_server() -> None:
    assert not changes_state("mutation {", None)
