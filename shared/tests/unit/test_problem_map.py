"""Errors mapped once per service (issue 17 item 7): a table from domain exception to
problem (``ProblemMap``) installed as the app's exception handlers, the most specific
class answering, a route-level override (``route_problems``) that keeps the route's
OpenAPI operation, and an answer that declines leaving the error a logged 500."""

from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from mylm_shared.problems import (
    PROBLEM_JSON,
    Problem,
    ProblemMap,
    install_problem_handlers,
    problem_responses,
    route_problems,
)


class Refused(ValueError):
    def __init__(self, rule: str) -> None:
        super().__init__(f"{rule}: refused")
        self.rule = rule


class Narrower(Refused):
    pass


class Busy(Exception):
    pass


TABLE = (
    ProblemMap()
    .on(Refused, lambda e: Problem(422, str(e), title="Refused by a rule", rule=e.rule))
    .on(Narrower, lambda e: Problem(409, "narrower", title="Narrower"))
    .on(Busy, lambda _: Problem(503, "Busy; retry.", headers={"Retry-After": "5"}))
)
# A route answering plain ValueErrors too, and Busy otherwise.
OVERRIDE = TABLE.on(ValueError, lambda e: Problem(422, f"plain: {e}")).on(
    Busy, lambda _: Problem(503, "Busy here.", headers={"Retry-After": "1"})
)
DECLINING = TABLE.on(ValueError, lambda e: None if "other" in str(e) else Problem(422, str(e)))


def _raise(error: Exception) -> dict[str, Any]:
    raise error


def _app(*, decorated: bool = True) -> FastAPI:
    router = APIRouter()
    errors: dict[str, Exception] = {
        "refused": Refused("PC-1"),
        "narrower": Narrower("PC-2"),
        "busy": Busy(),
        "plain": ValueError("not a date"),
        "other": ValueError("other"),
        "key": KeyError("x"),
    }

    @router.get("/table/{kind}", responses=problem_responses(409, 422, 503))
    async def table(kind: str) -> dict[str, Any]:
        """Answered by the service's table."""
        return _raise(errors[kind])

    async def overridden(kind: str, limit: int = 10) -> dict[str, Any]:
        """Answered by the route's own table."""
        return _raise(errors[kind])

    async def declining(kind: str) -> dict[str, Any]:
        return _raise(errors[kind])

    if decorated:
        overridden = route_problems(OVERRIDE)(overridden)
        declining = route_problems(DECLINING)(declining)
    router.get("/override/{kind}", responses=problem_responses(422, 503))(overridden)
    router.get("/declining/{kind}")(declining)
    app = FastAPI()
    install_problem_handlers(app, TABLE)
    app.include_router(router)
    return app


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


def test_the_most_specific_class_answers_and_a_derived_table_wins() -> None:
    """Issue 17 item 7: the exception's MRO decides, as Starlette's handler lookup does;
    a table derived with ``on`` replaces the entry of the same class only."""
    assert TABLE.problem(Narrower("PC-2")).status == 409  # type: ignore[union-attr]
    refused = TABLE.problem(Refused("PC-1"))
    assert refused is not None and (refused.status, refused.extensions) == (422, {"rule": "PC-1"})
    assert TABLE.problem(ValueError("x")) is None
    assert TABLE.problem(KeyError("x")) is None
    plain = OVERRIDE.problem(ValueError("x"))
    assert plain is not None and plain.detail == "plain: x"
    assert OVERRIDE.problem(Narrower("PC-2")).status == 409  # type: ignore[union-attr]
    assert OVERRIDE.problem(Busy()).headers == {"Retry-After": "1"}  # type: ignore[union-attr]
    assert TABLE.problem(Busy()).headers == {"Retry-After": "5"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "status", "title", "detail", "extra"),
    [
        ("refused", 422, "Refused by a rule", "PC-1: refused", {"rule": "PC-1"}),
        ("narrower", 409, "Narrower", "narrower", {}),
        ("busy", 503, "Service Unavailable", "Busy; retry.", {}),
    ],
)
async def test_the_service_table_answers_wherever_a_route_raises(
    kind: str, status: int, title: str, detail: str, extra: dict[str, Any]
) -> None:
    """Issue 17 item 7: a route without ``try`` answers its domain exception as the
    table says: problem+json with status, title, detail, extension members, instance."""
    answer = await _get(_app(), f"/table/{kind}")
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json() == {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": f"/table/{kind}",
        **extra,
    }
    if kind == "busy":
        assert answer.headers["retry-after"] == "5"


async def test_an_exception_outside_the_table_stays_a_500() -> None:
    """Issue 17 item 7: the table answers only its classes: a plain ValueError on a route
    of the service's table is the unexpected error it was."""
    answer = await _get(_app(), "/table/plain")
    assert answer.status_code == 500
    assert answer.json()["detail"] == "An unexpected error occurred."


async def test_a_route_level_override_answers_on_its_route_only() -> None:
    """Issue 17 item 7: the same exception answers otherwise where a route says so."""
    app = _app()
    here = await _get(app, "/override/busy")
    assert (here.status_code, here.json()["detail"]) == (503, "Busy here.")
    assert here.headers["retry-after"] == "1"
    elsewhere = await _get(app, "/table/busy")
    assert (elsewhere.json()["detail"], elsewhere.headers["retry-after"]) == ("Busy; retry.", "5")
    plain = await _get(app, "/override/plain")
    assert (plain.status_code, plain.json()["detail"]) == (422, "plain: not a date")
    narrower = await _get(app, "/override/narrower")  # the more specific class still wins
    assert narrower.status_code == 409
    unmapped = await _get(app, "/override/key")
    assert unmapped.status_code == 500


async def test_an_answer_that_declines_leaves_the_error_unanswered() -> None:
    """Issue 17 item 7 (the cover engine's ValueErrors): None from an answer re-raises the
    error itself, a logged 500."""
    app = _app()
    assert (await _get(app, "/declining/plain")).status_code == 422
    declined = await _get(app, "/declining/other")
    assert declined.status_code == 500
    assert declined.json()["detail"] == "An unexpected error occurred."


def test_a_route_level_override_keeps_the_openapi_operation() -> None:
    """Issue 17 item 7: the decorated route documents the same operation (parameters,
    summary, description, operationId, responses) as the bare one."""
    assert _app().openapi() == _app(decorated=False).openapi()
