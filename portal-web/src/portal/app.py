"""The portal's pages (thin entrypoints): FastAPI + Jinja2, server-rendered, no script.

Every request gets a server-side session (``request.state.session``); a new one sets
the ``mylm_session`` cookie. Every POST checks the CSRF token and the origin."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import ModuleType

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from portal.pages import (
    account,
    claims,
    csam,
    dossiers,
    inbox,
    invoices,
    policies,
    preferences,
    register,
)
from portal.ports import DossierClosed, Language, PortalSession, ServiceProblem, SessionStore
from portal.sessions import Sessions
from portal.settings import PortalSettings
from portal.upstream import Upstreams
from portal.web import HERE, Forbidden, NotLoggedIn, Web, problem_message

# The areas' routers, in the order their paths are matched.
AREAS: tuple[ModuleType, ...] = (
    account,
    invoices,
    dossiers,
    preferences,
    inbox,
    policies,
    register,
    csam,
    claims,
)
COOKIE = "mylm_session"
LANGUAGES: tuple[Language, ...] = ("nl", "fr")
CSP = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
OPEN_PATHS = ("/static/", "/healthz", "/readyz")


def _language(value: str | None) -> Language | None:
    return value if value in ("nl", "fr") else None  # type: ignore[return-value]


def _preferred(request: Request) -> Language:
    header = request.headers.get("accept-language", "").lower()
    return "fr" if header.startswith("fr") else "nl"


def create_app(
    settings: PortalSettings,
    *,
    services: Upstreams,
    store: SessionStore,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ready: Callable[[], Awaitable[bool]] | None = None,
) -> FastAPI:
    app = FastAPI(title="My LM portal", openapi_url=None, docs_url=None, redoc_url=None)
    sessions = Sessions(settings, store, services.identity, clock)
    web = Web(settings, sessions, services, clock)
    page = web.page
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def set_cookie(response: Response, session_id: str) -> None:
        response.set_cookie(
            COOKIE,
            session_id,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            path="/",
        )

    @app.middleware("http")
    async def portal_session(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith(OPEN_PATHS):
            response = await call_next(request)
        else:
            request.state.new_session_id = None
            session = await sessions.load(request.cookies.get(COOKIE))
            if session is None:
                new_id, session = await sessions.start(_preferred(request))
                request.state.new_session_id = new_id
            request.state.session = session
            chosen = _language(request.query_params.get("lang"))
            if request.method == "GET" and "lang" in request.query_params:
                # the language switch keeps the page (post/redirect/get)
                if chosen is not None and chosen != session.language:
                    session.language = chosen
                    await sessions.save(session)
                response = RedirectResponse(request.url.path, status_code=303)
            else:
                response = await call_next(request)
            if request.state.new_session_id:
                set_cookie(response, request.state.new_session_id)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _: Forbidden) -> Response:
        return page(request, "error.html", 403, title="forbidden_title", message="forbidden")

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _: NotLoggedIn) -> Response:
        session: PortalSession = request.state.session
        if session.logged_in:  # ended by expiry or a refused refresh
            await web.anonymous_again(request, session)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(DossierClosed)
    async def dossier_closed(request: Request, _: DossierClosed) -> Response:
        return RedirectResponse("/dossiers", status_code=303)  # which tells why

    @app.exception_handler(ServiceProblem)
    async def service_problem(request: Request, problem: ServiceProblem) -> Response:
        session: PortalSession = request.state.session
        if problem.status == 401 and session.acting:  # issue 20 item 2: the dependant's
            await web.dossier_closed(request)  # token refused (AC-3, AC-5, AC-6): say why
            return RedirectResponse("/dossiers", status_code=303)
        if problem.status == 401:  # the tokens were revoked elsewhere (log out everywhere)
            await web.anonymous_again(request, session)
            return RedirectResponse("/login", status_code=303)
        if problem.status == 403:
            return page(request, "error.html", 403, title="forbidden_title", message="no_access")
        if problem.status == 404:
            return page(request, "error.html", 404, title="not_found_title", message="not_found")
        if 400 <= problem.status < 500:  # a refusal the page did not expect: its detail
            detail = problem_message(problem, request.state.session.language, {})
            return page(request, "error.html", problem.status, title="error_title", detail=detail)
        return page(request, "error.html", 503, title="error_title", message="unavailable")

    @app.exception_handler(404)
    async def not_found(request: Request, _: Exception) -> Response:
        if not hasattr(request.state, "session"):
            return Response("Not Found", status_code=404, media_type="text/plain")
        return page(request, "error.html", 404, title="not_found_title", message="not_found")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        ok = await ready() if ready is not None else True
        return Response(
            '{"status":"ok"}' if ok else '{"status":"not ready"}',
            status_code=200 if ok else 503,
            media_type="application/json",
        )

    for area in AREAS:
        app.include_router(area.routes(web))

    return app
