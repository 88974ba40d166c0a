"""Bounded and clean input before any route runs (issue 15 item 5), as one pure ASGI
middleware every service gets from :func:`mylm_shared.service.create_service_app`.

For the route a request is for:

- **Clean target.** Path and query parameters holding a control character (see
  :mod:`mylm_shared.inputs`) are refused with ``422`` problem+json before anything reads
  them (a username in a path, a search term in a query reaching the store).
- **Authentication before an upload.** A route taking a file (multipart) and requiring a
  bearer token verifies the token from the headers first: without a valid one the answer
  is ``401`` (``503`` while the revocation list is catching up) and not one byte of the
  body is read, so an anonymous client cannot make the server spool anything.
- **Bounded body.** Each route has a limit: ``MAX_UPLOAD_BODY_BYTES`` for uploads,
  ``MAX_JSON_BODY_BYTES`` for every other route. A ``Content-Length`` above it is
  answered ``413`` up front; a body without one (chunked, streamed) is counted as the
  route reads it, and the read that crosses the limit ends the request with ``413``:
  the parser (JSON or multipart, which spools files) never gets more than the limit.

A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: it wraps
``receive`` and ``send`` and never reads the body itself. What a client sends after a
refusal is discarded by the server as it arrives (never buffered), so the connection
stays usable and the client reads the answer; a client sending ``Expect: 100-continue``
(curl does for large bodies) gets the refusal without sending the body at all.

FastAPI's own ``max_body_size`` is fixed per route where the route is declared (before
the settings are read) and cannot authenticate before the body; here the limit follows
from what the route takes, and the settings.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import params
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.applications import Starlette
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mylm_shared.auth import TokenVerifier, authenticated
from mylm_shared.inputs import control_character
from mylm_shared.problems import PROBLEM_JSON, Problem, unauthorized

VerifierSource = Callable[[], TokenVerifier | None]


@dataclass(frozen=True)
class RouteInput:
    """What one route accepts: its body limit, whether it takes a file upload that needs
    a verified bearer token first, and whether its path and query carry parameters."""

    limit: int
    authenticate_first: bool
    path_parameters: bool
    query_parameters: bool


@dataclass(frozen=True)
class ServedRoute:
    """An API route as the app serves it: its full path (after ``include_router``), the
    methods and the route with its parameters."""

    path: str
    methods: frozenset[str]
    route: APIRoute
    pattern: re.Pattern[str]


def served_routes(app: Starlette) -> list[ServedRoute]:
    """Every ``APIRoute`` of ``app``, also those of included routers (FastAPI keeps an
    included router as one entry of ``app.routes`` and resolves its routes lazily)."""
    served: list[ServedRoute] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path:
            pattern, _, _ = compile_path(context.path)
            served.append(
                ServedRoute(context.path, frozenset(context.methods or ()), route, pattern)
            )
    return served


def _requires_token(route: APIRoute) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call is authenticated:
            return True
        pending.extend(dependency.dependencies)
    return False


def _query_parameters(route: APIRoute) -> bool:
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if dependant.query_params:
            return True
        pending.extend(dependant.dependencies)
    return False


def route_input(route: APIRoute, *, json_limit: int, upload_limit: int) -> RouteInput:
    """A route taking a file (``UploadFile`` / ``File()``: FastAPI makes its body a
    ``File`` field) gets the upload limit; every other route the JSON limit."""
    upload = route.body_field is not None and isinstance(route.body_field.field_info, params.File)
    return RouteInput(
        limit=upload_limit if upload else json_limit,
        authenticate_first=upload and _requires_token(route),
        path_parameters=bool(route.param_convertors),
        query_parameters=_query_parameters(route),
    )


class BodyTooLarge(Exception):
    """Raised into the route's read of the body when it crosses the route's limit."""


class BoundedInput:
    def __init__(
        self,
        app: ASGIApp,
        *,
        json_limit: int,
        upload_limit: int,
        verifier: VerifierSource,
    ) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit
        self.verifier = verifier
        self._routes: list[tuple[ServedRoute, RouteInput]] | None = None

    def _input_of(self, scope: Scope) -> RouteInput:
        if self._routes is None:  # the routes are all known once the app serves
            self._routes = [
                (
                    served,
                    route_input(
                        served.route, json_limit=self.json_limit, upload_limit=self.upload_limit
                    ),
                )
                for served in served_routes(scope["app"])
            ]
        path = get_route_path(scope)
        partial: RouteInput | None = None
        for served, accepted in self._routes:
            if served.pattern.match(path):
                if scope["method"] in served.methods or (
                    scope["method"] == "HEAD" and "GET" in served.methods
                ):
                    return accepted
                partial = partial or accepted  # path matches, method does not: a 405
        return partial or RouteInput(self.json_limit, False, False, False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepted = self._input_of(scope)
        dirty = _dirty_target(scope, accepted)
        if dirty is not None:
            await _answer(send, scope, dirty)
            return
        declared = _content_length(scope)
        if declared is not None and declared > accepted.limit:
            await _answer(send, scope, _too_large(accepted.limit))
            return
        if accepted.authenticate_first:
            refusal = await self._authentication_refusal(scope)
            if refusal is not None:
                await _answer(send, scope, refusal)
                return
        await self._bounded(scope, receive, send, accepted.limit)

    async def _authentication_refusal(self, scope: Scope) -> Problem | None:
        """The route's own dependency verifies the token again (and decides 403s); this
        only refuses, before the body, a request that would be 401 (or 503) anyway."""
        header = _header(scope, b"authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return unauthorized()
        verifier = self.verifier()
        if verifier is None:
            return Problem(503, "Not ready.", headers={"Retry-After": "1"})
        try:
            await verifier.verify(token.strip())
        except Problem as problem:
            return problem
        return None

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        too_large = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large and not started:
                return  # the route's answer to the interrupted read is replaced by the 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await _answer(send, scope, _too_large(limit))


def get_route_path(scope: Scope) -> str:
    """The path the routes match: ``path`` without the ``root_path`` a proxy mounted the
    app under (as Starlette's router does)."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root) and (path == root or path[len(root)] == "/"):
        return path[len(root) :]
    return path


def _too_large(limit: int) -> Problem:
    return Problem(
        413,
        f"The request body is larger than this operation accepts ({limit} bytes).",
        title="Content Too Large",
    )


def _dirty_target(scope: Scope, accepted: RouteInput) -> Problem | None:
    errors: list[dict[str, Any]] = []
    if accepted.path_parameters:
        found = control_character(scope.get("path", ""))
        if found is not None:
            errors.append(_error(["path"], found))
    if accepted.query_parameters:
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            found = control_character(name) or control_character(value)
            if found is not None:
                errors.append(_error(["query", name], found))
    if not errors:
        return None
    return Problem(422, "The request is not valid; see errors.", errors=errors)


def _error(location: list[str], found: tuple[int, str]) -> dict[str, Any]:
    position, character = found
    return {
        "location": location,
        "message": (
            f"Text may not contain control characters "
            f"(U+{ord(character):04X} at position {position})."
        ),
        "type": "control_character",
    }


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    if value is None or not value.strip().isdigit():
        return None  # absent or malformed: the server refuses a malformed one itself
    return int(value)


async def _answer(send: Send, scope: Scope, problem: Problem) -> None:
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extensions,
        "instance": scope.get("path", ""),
    }
    content = json.dumps(body, ensure_ascii=True).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(content)).encode()),
        *((k.lower().encode(), v.encode("latin-1")) for k, v in (problem.headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
