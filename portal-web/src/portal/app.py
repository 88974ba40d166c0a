"""The portal's pages (thin entrypoints): FastAPI + Jinja2, server-rendered, no script.

Every request gets a server-side session (``request.state.session``); a new one sets
the ``mylm_session`` cookie. Every POST checks the CSRF token and the origin."""

from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from mylm_shared.kernel.formatting import day, euro
from starlette.datastructures import FormData

from portal.ports import (
    BillingPort,
    IdentityPort,
    Language,
    PortalSession,
    ServiceProblem,
    SessionStore,
)
from portal.sessions import Sessions, csrf_matches
from portal.settings import PortalSettings
from portal.texts import text

HERE = Path(__file__).resolve().parent
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


class Forbidden(Exception):
    """A POST without the session's CSRF token or from another origin."""


class NotLoggedIn(Exception):
    """No live member session: to the log-in page."""


def _language(value: str | None) -> Language | None:
    return value if value in ("nl", "fr") else None  # type: ignore[return-value]


def _preferred(request: Request) -> Language:
    header = request.headers.get("accept-language", "").lower()
    return "fr" if header.startswith("fr") else "nl"


def create_app(
    settings: PortalSettings,
    *,
    identity: IdentityPort,
    billing: BillingPort,
    store: SessionStore,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ready: Callable[[], Awaitable[bool]] | None = None,
) -> FastAPI:
    app = FastAPI(title="My LM portal", openapi_url=None, docs_url=None, redoc_url=None)
    sessions = Sessions(settings, store, identity, clock)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
    )
    templates = Jinja2Templates(env=env)
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

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        session: PortalSession = request.state.session
        lang = session.language

        def t(key: str, **values: object) -> str:
            return text(key, lang, **values)

        return templates.TemplateResponse(
            request,
            name,
            {
                "t": t,
                "lang": lang,
                "session": session,
                "csrf": session.csrf,
                "logged_in": session.logged_in,
                "path": request.url.path,
                "euro": lambda amount: euro(amount, lang),
                "day": day,
                **context,
            },
            status_code=status,
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

    async def checked_form(request: Request) -> FormData:
        """CSRF (synchronizer token) and origin checks of every POST; 403 otherwise."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            raise Forbidden
        origin = request.headers.get("origin")
        if origin is not None:
            own = f"{request.url.scheme}://{request.headers.get('host', '')}"
            if origin == "null" or origin.rstrip("/") != own:
                raise Forbidden
        form = await request.form()
        given = form.get("csrf_token")
        if not csrf_matches(request.state.session, given if isinstance(given, str) else None):
            raise Forbidden
        return form

    async def member_session(request: Request) -> PortalSession:
        session: PortalSession = request.state.session
        if not session.logged_in:
            raise NotLoggedIn
        fresh = await sessions.fresh(session)
        if fresh is None:
            raise NotLoggedIn
        request.state.session = fresh
        return fresh

    async def anonymous_again(request: Request, ended: PortalSession) -> None:
        await sessions.end(ended)
        new_id, session = await sessions.start(ended.language)
        request.state.new_session_id = new_id
        request.state.session = session

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _: Forbidden) -> Response:
        return page(request, "error.html", 403, title="forbidden_title", message="forbidden")

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _: NotLoggedIn) -> Response:
        session: PortalSession = request.state.session
        if session.logged_in:  # ended by expiry or a refused refresh
            await anonymous_again(request, session)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(ServiceProblem)
    async def service_problem(request: Request, problem: ServiceProblem) -> Response:
        session: PortalSession = request.state.session
        if problem.status == 401:  # the tokens were revoked elsewhere (log out everywhere)
            await anonymous_again(request, session)
            return RedirectResponse("/login", status_code=303)
        status = 503 if problem.status >= 500 else problem.status
        return page(request, "error.html", status, title="error_title", message="unavailable")

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

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        if request.state.session.logged_in:
            return RedirectResponse("/", status_code=303)
        return page(request, "login.html", username="", error=None)

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        form = await checked_form(request)
        session: PortalSession = request.state.session
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        lang = session.language
        try:
            if not username or not password:
                raise ServiceProblem(401)
            client = request.client.host if request.client else None
            pair = await identity.log_in(username, password, client)
            member = await identity.me(pair.access_token)
            if member is None:  # staff accounts have no member dossier
                await identity.revoke(pair.refresh_token)
                raise ServiceProblem(401)
        except ServiceProblem as problem:
            headers = {}
            if problem.status == 429:
                wait = problem.retry_after or 60
                error = text("login_429", lang, minutes=max(1, -(-wait // 60)))
                headers["Retry-After"] = str(wait)
            elif problem.status in (401, 422):
                error = text("login_401", lang)
            elif problem.status == 403:
                error = text("login_403", lang)
            else:
                error = text("unavailable", lang)
            status = problem.status if problem.status in (401, 403, 429) else 503
            if problem.status == 422:
                status = 401
            response = page(request, "login.html", status, username=username, error=error)
            response.headers.update(headers)
            return response
        language = _language(member.language) or ("fr" if member.language == "de" else "nl")
        new_id, _ = await sessions.log_in(session, pair, member.member_id, language)
        request.state.new_session_id = new_id
        return RedirectResponse("/", status_code=303)

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        await checked_form(request)
        session: PortalSession = request.state.session
        if session.refresh_token:
            # the portal session ends anyway; an unrevoked refresh token expires
            with suppress(ServiceProblem):
                await identity.revoke(session.refresh_token)
        await anonymous_again(request, session)
        return RedirectResponse("/login", status_code=303)

    @app.post("/logout-everywhere")
    async def logout_everywhere(request: Request) -> Response:
        await checked_form(request)
        session = await member_session(request)
        assert session.access_token is not None
        await identity.log_out_everywhere(session.access_token)
        await anonymous_again(request, session)
        return page(
            request,
            "login.html",
            username="",
            error=None,
            notice=text("logged_out_everywhere", session.language),
        )

    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        session = await member_session(request)
        assert session.access_token is not None and session.member_id is not None
        member = await identity.me(session.access_token)
        if member is None:
            raise NotLoggedIn
        invoices = await billing.open_invoices(session.access_token, session.member_id)
        due = sum((i.outstanding for i in invoices), Decimal("0"))
        return page(request, "home.html", member=member, due=due, count=len(invoices))

    @app.get("/invoices", response_class=HTMLResponse)
    async def invoices(request: Request) -> Response:
        session = await member_session(request)
        assert session.access_token is not None and session.member_id is not None
        found = await billing.open_invoices(session.access_token, session.member_id)
        due = sum((i.outstanding for i in found), Decimal("0"))
        return page(request, "invoices.html", invoices=found, due=due)

    @app.get("/invoices/{invoice_id}.pdf")
    async def invoice_pdf(invoice_id: str, request: Request) -> Response:
        session = await member_session(request)
        assert session.access_token is not None
        download = await billing.invoice_pdf(session.access_token, invoice_id)
        if download is None:
            return page(request, "error.html", 404, title="not_found_title", message="not_found")
        return StreamingResponse(
            download.chunks,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )

    @app.get("/invoices/{invoice_id}", response_class=HTMLResponse)
    async def invoice(invoice_id: str, request: Request) -> Response:
        session = await member_session(request)
        assert session.access_token is not None
        found = await billing.invoice(session.access_token, invoice_id)
        if found is None:
            return page(request, "error.html", 404, title="not_found_title", message="not_found")
        return page(request, "invoice.html", invoice=found)

    return app
