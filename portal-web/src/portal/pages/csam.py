"""Logging in with CSAM (issue 20 item 2; RG-5), the portal as a backend-for-frontend:

1. ``GET /csam/login``: the portal asks identity to start (``GET /v1/csam/login``:
   identity keeps state, nonce and the PKCE verifier, answers the provider's URL and a
   secret binding the login to the browser); the portal keeps that secret in its own
   session and sends the browser to the provider.
2. The provider sends the browser back to ``GET /csam/callback`` (identity's
   ``CSAM_REDIRECT_URI`` is this route, registered at the provider); the portal passes
   ``code``, ``state``, ``iss`` on to identity's callback with the secret. A member with
   an account gets a portal session, as with a password (tokens stay server-side).
3. A member without an account (``signup-required``) reads the current terms at
   ``GET /csam/signup`` and accepts them (``POST /csam/signup`` → identity's
   ``POST /v1/csam/signups/{id}``): the account opens, CSAM only, and they are logged in.
"""

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from mylm_shared.texts.portal import portal_text

from portal.pages.account import member_language
from portal.pages.register import client_address, keep
from portal.ports import Language, PortalSession, ServiceProblem
from portal.upstream.identity import CsamLoggedIn, IdentityProblem, TokenPair
from portal.web import Web

CALLBACK_PARAMETERS = ("code", "state", "iss", "error")


def csam_error(problem: ServiceProblem, language: Language) -> str:
    reason = problem.reason if isinstance(problem, IdentityProblem) else None
    if problem.status == 403 and reason == "not-a-member":
        return portal_text("reg_csam_not_member", language)
    if problem.status == 403 and reason == "method-disabled":
        return portal_text("reg_csam_disabled", language)
    if problem.status == 403:
        return portal_text("reg_csam_inactive", language)
    if problem.status == 400:
        return portal_text("reg_csam_failed", language)
    return portal_text("unavailable", language)


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    identity = web.services.identity

    def failed(request: Request, status: int, error: str) -> Response:
        return web.page(request, "csam.html", status, error=error)

    async def logged_in(request: Request, session: PortalSession, pair: TokenPair) -> Response:
        member = await identity.me(pair.access_token)
        if member is None:  # a staff account has no member dossier
            await identity.revoke(pair.refresh_token)
            return failed(request, 403, portal_text("reg_csam_not_member", session.language))
        new_id, _ = await web.sessions.log_in(
            session, pair, member.member_id, member_language(member.language)
        )
        request.state.new_session_id = new_id
        return RedirectResponse("/", status_code=303)

    @router.get("/csam/login")
    async def csam_login(request: Request) -> Response:
        session: PortalSession = request.state.session
        if session.logged_in:
            return RedirectResponse("/", status_code=303)
        try:
            started = await identity.csam_start(client_address(request))
        except ServiceProblem as problem:
            status = problem.status if problem.status == 403 else 503
            return failed(request, status, csam_error(problem, session.language))
        await keep(web, session, csam=started.browser_secret, csam_signup=None)
        return RedirectResponse(started.authorization_url, status_code=303)

    @router.get("/csam/callback")
    async def csam_callback(request: Request) -> Response:
        session: PortalSession = request.state.session
        lang = session.language
        secret = session.pending.get("csam")
        if secret is None:  # not started in this browser, or already used
            return failed(request, 400, portal_text("reg_csam_failed", lang))
        await keep(web, session, csam=None)  # single use
        answer = {
            name: value
            for name in CALLBACK_PARAMETERS
            if (value := request.query_params.get(name)) is not None
        }
        try:
            result = await identity.csam_finish(answer, secret, client_address(request))
        except ServiceProblem as problem:
            status = problem.status if problem.status in (400, 403) else 503
            return failed(request, status, csam_error(problem, lang))
        if isinstance(result, CsamLoggedIn):
            return await logged_in(request, session, result.pair)
        await keep(web, session, csam_signup=result.signup_id, csam_terms=result.terms_version)
        return RedirectResponse("/csam/signup", status_code=303)

    async def signup_page(
        request: Request, status: int = 200, error: str | None = None
    ) -> Response:
        session: PortalSession = request.state.session
        if "csam_signup" not in session.pending:
            return RedirectResponse("/login", status_code=303)
        try:
            terms = await identity.terms()
        except ServiceProblem:
            terms = None
        version = session.pending.get("csam_terms", "")
        if terms is not None and terms.version != version:
            terms = None  # the text shown must be the version accepted
        return web.page(
            request, "csam_signup.html", status, terms=terms, version=version, error=error
        )

    @router.get("/csam/signup", response_class=HTMLResponse)
    async def csam_signup(request: Request) -> Response:
        return await signup_page(request)

    @router.post("/csam/signup", response_class=HTMLResponse)
    async def csam_signup_post(request: Request) -> Response:
        form = await web.checked_form(request)
        session: PortalSession = request.state.session
        lang = session.language
        signup_id = session.pending.get("csam_signup")
        if signup_id is None:
            return RedirectResponse("/login", status_code=303)
        version = session.pending.get("csam_terms", "")
        if form.get("accept_terms") != "yes":
            return await signup_page(request, 422, portal_text("reg_must_accept", lang))
        try:
            opened = await identity.csam_sign_up(signup_id, version, client_address(request))
        except ServiceProblem as problem:
            if problem.status in (404, 410):
                await keep(web, session, csam_signup=None, csam_terms=None)
                return failed(request, 410, portal_text("reg_csam_signup_gone", lang))
            if problem.status == 409:
                await keep(web, session, csam_signup=None, csam_terms=None)
                return failed(request, 409, portal_text("reg_csam_has_account", lang))
            if problem.status == 422:
                error = portal_text("reg_terms_changed", lang)
                return await signup_page(request, 422, error)
            return failed(request, 503, csam_error(problem, lang))
        return await logged_in(request, session, opened.pair)

    return router
