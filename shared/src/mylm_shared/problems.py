"""RFC 9457 ``application/problem+json`` errors for every service."""

import functools
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema
from pymongo.errors import ConnectionFailure, OperationFailure
from starlette.exceptions import HTTPException as StarletteHTTPException

from mylm_shared.mongo import is_write_conflict

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ProblemDetails(BaseModel):
    """An RFC 9457 problem document: how every service answers every error."""

    model_config = ConfigDict(extra="allow")  # extension members (e.g. ``errors``)
    type: str = Field(default="about:blank", description="A URI reference naming the problem.")
    title: str = Field(description="A short summary of the problem type.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    instance: str | None = Field(default=None, description="The request path.")


class InvalidParam(BaseModel):
    location: list[str | int] = Field(description='Where, e.g. ["query", "offset"].')
    message: str
    type: str


class ValidationProblem(ProblemDetails):
    """A 422: ``errors`` lists each part of the request that breaks the API's schema."""

    errors: list[InvalidParam] | None = None


_SCHEMA_REF = "#/components/schemas/{model}"
_RETRY = {"Retry-After": "1"}
_DESCRIPTIONS = {
    400: "The body could not be read as JSON.",
    401: "No valid bearer token.",
    403: "The caller may not do this.",
    404: "Not found (or not visible to the caller).",
    409: "Conflicts with the current state.",
    413: "The request body is larger than this operation accepts.",
    422: "The request is not valid.",
    503: "Busy or a dependency is unavailable; retry later.",
}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}},
}


def problem_responses(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route answering ``statuses`` as problem+json, e.g.
    ``@router.get(..., responses=problem_responses(401, 403, 404))``; ``described``
    overrides the default description of a status. (FastAPI's own 422 for invalid
    requests is documented as problem+json on every route by ``install_problem_handlers``.)
    """
    descriptions = {**_DESCRIPTIONS, **(described or {})}
    return {status: _problem_response(status, descriptions.get(status)) for status in statuses}


def _problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    model = ValidationProblem if status == 422 else ProblemDetails
    response: dict[str, Any] = {
        "description": description or _TITLES.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": _SCHEMA_REF.format(model=model.__name__)}}},
    }
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return response


def _problem_schemas() -> dict[str, Any]:
    _, schemas = models_json_schema(
        [(ProblemDetails, "serialization"), (ValidationProblem, "serialization")],
        ref_template=_SCHEMA_REF,
    )
    definitions: dict[str, Any] = schemas["$defs"]
    return definitions


def _document_problems(app: FastAPI) -> None:
    """Adds the problem schemas to the app's OpenAPI document and documents what FastAPI
    itself answers, as problem+json: its 422 for an invalid request (in place of its
    ``application/json`` HTTPValidationError, never sent here), its 400 for a body
    that is not JSON text (e.g. not UTF-8) and the 413 of a body over the limit."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        fastapi_422 = {"$ref": _SCHEMA_REF.format(model="HTTPValidationError")}
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.get("responses", {})
                answer = responses.get("422", {})
                if answer.get("content", {}).get("application/json", {}).get("schema") == (
                    fastapi_422
                ):
                    responses["422"] = _problem_response(422, _DESCRIPTIONS[422])
                if "requestBody" in operation and "400" not in responses:
                    responses["400"] = _problem_response(400, _DESCRIPTIONS[400])
                # Issue 15 item 5: every body is bounded (mylm_shared.bodies).
                if "requestBody" in operation and "413" not in responses:
                    responses["413"] = _problem_response(413, _DESCRIPTIONS[413])
        if fastapi_422["$ref"] not in json.dumps(document):
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)  # only HTTPValidationError uses it
        schemas.update(_problem_schemas())
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension point


class Problem(Exception):
    """Raise from a handler to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.type = type_
        self.headers = headers
        self.extensions = extensions


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extensions,
    }
    if instance:
        body["instance"] = instance
    return JSONResponse(
        body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers
    )


def unauthorized(detail: str = "A valid bearer token is required.") -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="mylm"'})


def forbidden(detail: str = "You may not access this resource.") -> Problem:
    return Problem(403, detail)


def idempotency_key_reused(what: str = "request") -> Problem:
    """409: a retry must repeat the first request exactly; another body is another one."""
    return Problem(
        409,
        f"This Idempotency-Key was already used with a different {what}.",
        title="Idempotency-Key reused",
    )


E = TypeVar("E", bound=Exception)
Endpoint = TypeVar("Endpoint", bound=Callable[..., Awaitable[Any]])
Answer = Callable[[Any], Problem | None]


class ProblemMap:
    """Domain exception → problem (issue 17 item 7): a service's errors mapped once.

    A service builds one table of what each of its domain exceptions answers (status,
    title, type, detail, extension members, headers) and hands it to its
    ``ServiceDefinition(problems=…)``; ``install_problem_handlers`` registers it as the
    app's exception handlers, so routes call their use cases without ``try``. An answer
    returning None leaves the error unanswered (500, logged). The most specific class
    answers (the exception's MRO, as Starlette looks up handlers)::

        PROBLEMS = (
            ProblemMap()
            .on(UnknownClaim, lambda _: Problem(404, "No such claim."))
            .on(WrongStatus, lambda e: Problem(409, str(e), title="Not possible in this status"))
        )

    Where a route answers an exception otherwise, it says so: a table derived from the
    service's (``PROBLEMS.on(…)``, the later entry wins) decorates the route
    (``route_problems``).
    """

    def __init__(self, answers: Mapping[type[Exception], Answer] | None = None) -> None:
        self._answers: dict[type[Exception], Answer] = dict(answers or {})

    def on(self, kind: type[E], answer: Callable[[E], Problem | None]) -> "ProblemMap":
        """This table with ``kind`` answered by ``answer`` (replacing an earlier entry)."""
        return ProblemMap({**self._answers, kind: answer})

    @property
    def kinds(self) -> tuple[type[Exception], ...]:
        return tuple(self._answers)

    def problem(self, error: BaseException) -> Problem | None:
        """The problem answering ``error``: its most specific class in the table; None
        when the table has none of its classes (or the answer declines)."""
        for kind in type(error).__mro__:
            answer = self._answers.get(kind)
            if answer is not None:
                return answer(error)
        return None


def route_problems(table: ProblemMap) -> Callable[[Endpoint], Endpoint]:
    """A route-level override: the decorated route (below ``@router.…``) answers its
    errors with ``table`` (derive it from the service's table, e.g.
    ``PROBLEMS.on(ValueError, …)``, so the most specific class still wins). The route's
    signature, name and docstring are kept (FastAPI unwraps it), so its OpenAPI
    operation does not change."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def answered(*args: Any, **kwargs: Any) -> Any:
            try:
                return await endpoint(*args, **kwargs)
            except table.kinds as error:
                problem = table.problem(error)
                if problem is None:
                    raise
                raise problem from None

        return cast(Endpoint, answered)

    return decorate


def install_problem_handlers(app: FastAPI, problems: ProblemMap | None = None) -> None:
    """Answers every error as problem+json, and says so in the app's OpenAPI document:
    ``Problem``, FastAPI's own errors, the service's domain exceptions (``problems``),
    MongoDB outages (503) and anything else (500, logged)."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors()
        ]
        problem = Problem(422, "The request is not valid; see errors.", errors=errors)
        return problem_response(problem, request.url.path)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem = Problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))
        return problem_response(problem, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, OperationFailure) and is_write_conflict(exc):
            busy = Problem(503, "Busy; please retry.", headers=_RETRY)
            return problem_response(busy, request.url.path)
        if isinstance(exc, ConnectionFailure):  # MongoDB unreachable or restarting
            log.warning("database unavailable: %r", exc)
            down = Problem(503, "Temporarily unavailable; please retry.", headers=_RETRY)
            return problem_response(down, request.url.path)
        log.exception("unhandled error", exc_info=exc)
        return problem_response(Problem(500, "An unexpected error occurred."), request.url.path)

    async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert problems is not None
        problem = problems.problem(exc)
        if problem is None:  # declined: unexpected after all (500, logged)
            raise exc
        return problem_response(problem, request.url.path)

    for kind in problems.kinds if problems else ():
        # Domain exceptions only: the handlers below keep answering the rest.
        assert kind is not Exception
        assert not issubclass(kind, Problem | RequestValidationError | StarletteHTTPException)
        app.add_exception_handler(kind, on_domain_error)
    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
    _document_problems(app)


def idempotent_create_responses(
    made: str, *, conflict: str, invalid: str
) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a staff create taking an ``Idempotency-Key``: 201 (with
    ``Idempotent-Replayed: true`` on a replay, ``made`` says of what), 409 (``conflict``:
    the key was used with another body), 422 (``invalid``), 401, 403, 503."""
    replayed = {
        "description": f"`true` when an earlier request with this Idempotency-Key {made}.",
        "schema": {"type": "string", "enum": ["true"]},
    }
    return {
        201: {"headers": {"Idempotent-Replayed": replayed}},
        **problem_responses(401, 403, 409, 422, 503, described={409: conflict, 422: invalid}),
    }
