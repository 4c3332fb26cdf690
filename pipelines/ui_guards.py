"""Two guards around the Dagster webserver's Starlette app, against requests from web pages.

dagster-webserver (1.13) executes a GraphQL mutation taken from the query string: a GET, or
a form or text POST, which any page the operator visits can send without a CORS preflight
(an image tag is enough to launch a run). And it answers any Host header, so a page on a
domain that re-resolves to 127.0.0.1 (DNS rebinding) could read its answers too. The guards:
a mutation must come in a request body (the UI's own JSON POSTs, which browsers send across
sites only after a preflight Dagster does not grant), and the Host must name the address
the UI is bound to (Starlette's `TrustedHostMiddleware`).
"""

from __future__ import annotations

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def changes_state(query: str, operation_name: str | None) -> bool:
    """Whether this GraphQL document would run anything but a query: a mutation or a
    subscription, or, when the operation to run is ambiguous, a document holding one. A
    document that does not parse runs nothing (the server answers with the syntax error)."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operation = get_operation_ast(document, operation_name)
    if operation is not None:
        return operation.operation is not OperationType.QUERY
    return any(
        getattr(node, "operation", OperationType.QUERY) is not OperationType.QUERY
        for node in document.definitions
    )


class QueryStringMutationGuard:
    """Answers 405 to a GraphQL request whose query string carries a mutation; any request
    the webserver reads its query from the query string of (GET, form and text POSTs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith("/graphql"):
            params = QueryParams(scope.get("query_string", b""))
            query = params.get("query")
            if query and changes_state(query, params.get("operationName")):
                response = PlainTextResponse(
                    "GraphQL mutations are accepted only in a POST body "
                    "(Content-Type: application/json)",
                    status_code=405,
                    headers={"Allow": "POST"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def guard(app: Starlette, bound_host: str) -> Starlette:
    """The app with both guards, the Host check outermost: a request with a foreign Host is
    refused (400) before anything else reads it."""
    hosts = dict.fromkeys([*LOOPBACK_HOSTS, bound_host])
    app.add_middleware(QueryStringMutationGuard)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    return app
