"""The account pages (issue 20 item 2) beyond logging in: registering by code with the
current terms (RG-1..RG-4), a new password by code (LF-4) and reporting a compromise
(LF-4). The log-in with CSAM (RG-5) is ``portal.pages.csam``.

Each flow is two steps, post/redirect/get: ask for a code (identity answers the same
whether or not the member exists), then enter it. The request's id stays server-side in
the portal session (``pending``), never in the page. Identity counts the member's address
(X-Forwarded-For from the portal's trusted source address) against its code budgets."""

import re
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from mylm_shared.texts.portal import portal_text
from starlette.datastructures import FormData

from portal.ports import Language, PortalSession, ServiceProblem
from portal.upstream.identity import CodeSent, IdentityProblem, Registration, Terms
from portal.web import Web

# identity's username rule (POST /v1/registrations/{id}/confirm), checked here first so
# the member reads why in their words
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
CHANNELS = ("email", "sms")


def client_address(request: Request) -> str | None:
    """The member's address (the gateway's X-Forwarded-For, believed by uvicorn)."""
    return request.client.host if request.client else None


def field(form: FormData, name: str, limit: int = 1024) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


async def keep(web: Web, session: PortalSession, **values: str | None) -> None:
    """Set (or, with None, drop) what a flow keeps between its steps; saved at once."""
    pending = dict(session.pending)
    for key, value in values.items():
        if value is None:
            pending.pop(key, None)
        else:
            pending[key] = value
    session.pending = pending
    await web.sessions.save(session)


def code_error(problem: ServiceProblem, language: Language, *, start: bool = False) -> str:
    """A code route's refusal as the member reads it (identity: docs/services/identity.md)."""
    if problem.status == 429:
        wait = problem.retry_after or 60
        return portal_text("reg_429", language, minutes=max(1, -(-wait // 60)))
    if problem.status == 422 and start:
        return portal_text("reg_bad_identifier", language)
    if problem.status == 422:
        attempts = problem.attempts_left if isinstance(problem, IdentityProblem) else None
        if attempts is not None:
            return portal_text("reg_wrong_code", language, attempts=attempts)
        if "terms" in problem.detail.lower():
            return portal_text("reg_terms_changed", language)
        return portal_text("reg_bad_password", language)
    if problem.status in (404, 410):
        return portal_text("reg_code_gone", language)
    if problem.status == 409:
        return portal_text("reg_taken", language)
    if 400 <= problem.status < 500 and problem.detail:
        return problem.detail
    return portal_text("unavailable", language)


def shown_status(problem: ServiceProblem) -> int:
    return problem.status if 400 <= problem.status < 500 else 503


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    identity = web.services.identity

    async def current_terms() -> Terms | None:
        try:
            return await identity.terms()
        except ServiceProblem:
            return None

    # ------------------------------------------------------------ registration
    def register_page(request: Request, status: int = 200, **context: object) -> Response:
        values = {"identifier": "", "channel": "email", "error": None, **context}
        return web.page(request, "register.html", status, **values)

    @router.get("/register", response_class=HTMLResponse)
    async def register(request: Request) -> Response:
        return register_page(request)

    async def request_code(
        request: Request,
        page: Callable[..., Response],
        start: Callable[[str, str, str | None], Awaitable[CodeSent]],
        *,
        longest: int,
        flow: str,
        then: str,
        **also: str | None,
    ) -> Response:
        """RG-1 and LF-4 alike: a code asked for an identifier by e-mail or SMS; the
        request's id and where the code went kept in the session as ``flow``; → ``then``."""
        form = await web.checked_form(request)
        session: PortalSession = request.state.session
        identifier, channel = field(form, "identifier", longest), field(form, "channel")
        lang = session.language
        if not identifier or channel not in CHANNELS:
            error = portal_text("reg_missing", lang)
            return page(request, 422, identifier=identifier, error=error)
        try:
            sent = await start(identifier, channel, client_address(request))
        except ServiceProblem as problem:
            error = code_error(problem, lang, start=True)
            return page(
                request, shown_status(problem), identifier=identifier, channel=channel, error=error
            )
        await keep(web, session, **{flow: sent.request_id, f"{flow}_to": sent.sent_to}, **also)
        return RedirectResponse(then, status_code=303)

    @router.post("/register", response_class=HTMLResponse)
    async def register_request(request: Request) -> Response:
        return await request_code(
            request,
            register_page,
            identity.start_registration,
            longest=64,
            flow="registration",
            then="/register/confirm",
        )

    async def confirm_page(request: Request, status: int = 200, **context: object) -> Response:
        session: PortalSession = request.state.session
        if "registration" not in session.pending:
            return RedirectResponse("/register", status_code=303)
        values = {"username": "", "error": None, "invalid": (), **context}
        return web.page(
            request,
            "register_confirm.html",
            status,
            sent_to=session.pending.get("registration_to", ""),
            terms=await current_terms(),
            **values,
        )

    @router.get("/register/confirm", response_class=HTMLResponse)
    async def register_confirm(request: Request) -> Response:
        return await confirm_page(request)

    @router.post("/register/confirm", response_class=HTMLResponse)
    async def register_confirm_post(request: Request) -> Response:
        form = await web.checked_form(request)
        session: PortalSession = request.state.session
        lang = session.language
        registration_id = session.pending.get("registration")
        if registration_id is None:
            return RedirectResponse("/register", status_code=303)
        code, username = field(form, "code", 16), field(form, "username", 64)
        password = form.get("password")
        password = password if isinstance(password, str) else ""
        version = field(form, "terms_version", 32)
        accepted = form.get("accept_terms") == "yes"
        missing = [
            name
            for name, value in (("code", code), ("username", username), ("password", password))
            if not value
        ]
        if missing:
            error = portal_text("reg_missing", lang)
            return await confirm_page(
                request, 422, username=username, error=error, invalid=tuple(missing)
            )
        if not USERNAME.match(username):
            error = portal_text("reg_bad_username", lang)
            return await confirm_page(
                request, 422, username=username, error=error, invalid=("username",)
            )
        if not accepted or not version:
            error = portal_text("reg_must_accept", lang)
            return await confirm_page(
                request, 422, username=username, error=error, invalid=("accept_terms",)
            )
        chosen = Registration(
            code=code, username=username, password=password, terms_version=version
        )
        try:
            opened = await identity.confirm_registration(
                registration_id, chosen, client_address(request)
            )
        except ServiceProblem as problem:
            error = code_error(problem, lang)
            invalid = _invalid_of(problem)
            return await confirm_page(
                request, shown_status(problem), username=username, error=error, invalid=invalid
            )
        await keep(web, session, registration=None, registration_to=None, registered=opened)
        return RedirectResponse("/register/done", status_code=303)

    @router.get("/register/done", response_class=HTMLResponse)
    async def register_done(request: Request) -> Response:
        session: PortalSession = request.state.session
        username = session.pending.get("registered")
        if username is None:
            return RedirectResponse("/register", status_code=303)
        return web.page(request, "register_done.html", username=username)

    # ------------------------------------------------------------ password reset
    def reset_page(request: Request, status: int = 200, **context: object) -> Response:
        session: PortalSession = request.state.session
        notice = None
        if session.pending.get("notice") == "compromised":
            notice = portal_text("reg_compromised", session.language)
        values = {"identifier": "", "channel": "email", "error": None, "notice": notice}
        return web.page(request, "reset.html", status, **{**values, **context})

    @router.get("/reset", response_class=HTMLResponse)
    async def reset(request: Request) -> Response:
        return reset_page(request)

    @router.post("/reset", response_class=HTMLResponse)
    async def reset_request(request: Request) -> Response:
        return await request_code(
            request,
            reset_page,
            identity.start_password_reset,
            longest=128,
            flow="reset",
            then="/reset/confirm",
            notice=None,
        )

    def reset_confirm_page(request: Request, status: int = 200, **context: object) -> Response:
        session: PortalSession = request.state.session
        if "reset" not in session.pending:
            return RedirectResponse("/reset", status_code=303)
        values = {"error": None, "invalid": (), **context}
        sent_to = session.pending.get("reset_to", "")
        return web.page(request, "reset_confirm.html", status, sent_to=sent_to, **values)

    @router.get("/reset/confirm", response_class=HTMLResponse)
    async def reset_confirm(request: Request) -> Response:
        return reset_confirm_page(request)

    @router.post("/reset/confirm", response_class=HTMLResponse)
    async def reset_confirm_post(request: Request) -> Response:
        form = await web.checked_form(request)
        session: PortalSession = request.state.session
        lang = session.language
        reset_id = session.pending.get("reset")
        if reset_id is None:
            return RedirectResponse("/reset", status_code=303)
        code = field(form, "code", 16)
        password = form.get("new_password")
        password = password if isinstance(password, str) else ""
        missing = tuple(n for n, v in (("code", code), ("new_password", password)) if not v)
        if missing:
            error = portal_text("reg_missing", lang)
            return reset_confirm_page(request, 422, error=error, invalid=missing)
        try:
            await identity.confirm_password_reset(reset_id, code, password, client_address(request))
        except ServiceProblem as problem:
            error = code_error(problem, lang)
            invalid = ("code",) if _is_code_problem(problem) else ("new_password",)
            return reset_confirm_page(request, shown_status(problem), error=error, invalid=invalid)
        if session.logged_in:  # identity ended every session, this one's tokens too
            await web.anonymous_again(request, session)
            session = request.state.session
        await keep(web, session, reset=None, reset_to=None, reset_done="yes")
        return RedirectResponse("/reset/done", status_code=303)

    @router.get("/reset/done", response_class=HTMLResponse)
    async def reset_done(request: Request) -> Response:
        session: PortalSession = request.state.session
        if session.pending.get("reset_done") is None:
            return RedirectResponse("/reset", status_code=303)
        return web.page(request, "reset_done.html")

    # ------------------------------------------------------------ compromise (LF-4)
    @router.get("/compromised", response_class=HTMLResponse)
    async def compromise(request: Request) -> Response:
        await web.caller(request)
        return web.page(request, "compromise.html")

    @router.post("/compromised")
    async def compromise_post(request: Request) -> Response:
        await web.checked_form(request)
        caller = await web.caller(request)
        await identity.report_compromise(caller.access_token)
        # identity ended every session (the refresh token too): the portal's ends now
        await web.anonymous_again(request, caller.session)
        await keep(web, request.state.session, notice="compromised")
        return RedirectResponse("/reset", status_code=303)

    return router


def _is_code_problem(problem: ServiceProblem) -> bool:
    if problem.status in (404, 410, 429):
        return True
    return isinstance(problem, IdentityProblem) and problem.attempts_left is not None


def _invalid_of(problem: ServiceProblem) -> tuple[str, ...]:
    """The field a registration's refusal is about (aria-invalid)."""
    if _is_code_problem(problem):
        return ("code",)
    if problem.status == 409:
        return ("username",)
    if "terms" in problem.detail.lower():
        return ("accept_terms",)
    return ("password",)
