"""Logging in and out (issue 20 item 2): username and password at identity, log out,
log out everywhere."""

from contextlib import suppress

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from mylm_shared.texts.portal import portal_text

from portal.ports import Language, PortalSession, ServiceProblem
from portal.web import Web


def member_language(value: str) -> Language:
    """The portal speaks nl and fr; a German-speaking member reads French."""
    return "fr" if value in ("fr", "de") else "nl"


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    identity = web.services.identity

    @router.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        if request.state.session.logged_in:
            return RedirectResponse("/", status_code=303)
        return web.page(request, "login.html", username="", error=None)

    @router.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        form = await web.checked_form(request)
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
                error = portal_text("login_429", lang, minutes=max(1, -(-wait // 60)))
                headers["Retry-After"] = str(wait)
            elif problem.status in (401, 422):
                error = portal_text("login_401", lang)
            elif problem.status == 403:
                error = portal_text("login_403", lang)
            else:
                error = portal_text("unavailable", lang)
            status = problem.status if problem.status in (401, 403, 429) else 503
            if problem.status == 422:
                status = 401
            response = web.page(request, "login.html", status, username=username, error=error)
            response.headers.update(headers)
            return response
        new_id, _ = await web.sessions.log_in(
            session, pair, member.member_id, member_language(member.language)
        )
        request.state.new_session_id = new_id
        return RedirectResponse("/", status_code=303)

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        await web.checked_form(request)
        session: PortalSession = request.state.session
        if session.refresh_token:
            # the portal session ends anyway; an unrevoked refresh token expires
            with suppress(ServiceProblem):
                await identity.revoke(session.refresh_token)
        await web.anonymous_again(request, session)
        return RedirectResponse("/login", status_code=303)

    @router.post("/logout-everywhere")
    async def logout_everywhere(request: Request) -> Response:
        await web.checked_form(request)
        caller = await web.caller(request)
        await identity.log_out_everywhere(caller.own_access_token)  # never an exchanged one
        await web.anonymous_again(request, caller.session)
        notice = portal_text("logged_out_everywhere", caller.language)
        return web.page(request, "login.html", username="", error=None, notice=notice)

    return router
