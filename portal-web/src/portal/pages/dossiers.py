"""Switching dossier between oneself and a dependant (issue 20 item 2, AC-1..AC-6): the
dossiers the member may open, each dependant's not open with the reason, and the switch
(identity's RFC 8693-style token exchange; the dependant's token kept server-side in the
portal session beside the member's own)."""

from dataclasses import replace

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from mylm_shared.texts.portal import portal_text

from portal.ports import Language, PortalSession, ServiceProblem
from portal.upstream.identity import Dossier
from portal.web import Web

# identity's refusals of an exchange that mean "no basis for this dossier now"
REFUSED = (403, 404, 409)


def closed_notice(name: str, lang: Language, listed: list[Dossier]) -> str:
    """Why the dependant's dossier that was open (or asked for) is not open: the rule
    identity lists it closed by (AC-3, AC-4); else the ones that can close it (AC-3, AC-6)."""
    found = next((d for d in listed if d.name == name and d.closed_reason), None)
    if found is not None:
        return portal_text(reason_key(found), lang, name=name)
    if name:
        return portal_text("dossiers_closed_notice", lang, name=name)
    return portal_text("dossiers_closed_notice_unnamed", lang)


def reason_key(dossier: Dossier) -> str:
    """The words for a dependant's dossier not open: AC-3 (revoked), AC-4 (18 or more,
    no grant), or, when identity does not say, the general case."""
    if dossier.closed_reason in ("AC-3", "AC-4"):
        return f"dossiers_reason_{dossier.closed_reason.lower().replace('-', '')}"
    return "dossiers_reason_unknown"


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    identity = web.services.identity
    sessions = web.sessions

    @router.get("/dossiers", response_class=HTMLResponse)
    async def dossiers(request: Request) -> Response:
        caller = await web.caller(request)
        listed = await identity.dossiers(caller.own_access_token)
        session: PortalSession = request.state.session
        closed = None
        if session.dossier_closed is not None:  # told once
            closed = closed_notice(session.dossier_closed, session.language, listed)
            session = replace(session, dossier_closed=None)
            await sessions.save(session)
            request.state.session = session
        own = [d for d in listed if d.relation == "self"]
        dependants = [d for d in listed if d.relation != "self"]
        return web.page(
            request,
            "dossiers.html",
            own=own,
            dependants=dependants,
            open_id=caller.member_id,
            closed=closed,
            reason_key=reason_key,
        )

    @router.post("/dossiers/switch")
    async def switch(request: Request) -> Response:
        """Open a dependant's dossier (the token exchange) or go back to one's own."""
        form = await web.checked_form(request)
        caller = await web.caller(request)
        session = caller.session
        target = str(form.get("member_id", "")).strip()
        if not target or target == caller.own_member_id:  # AC-1: one's own, no exchange
            request.state.session = await sessions.own_dossier(session)
            return RedirectResponse("/", status_code=303)
        listed = await identity.dossiers(caller.own_access_token)
        found = next((d for d in listed if d.member_id == target and d.relation != "self"), None)
        if found is None or not found.openable:
            name = found.name if found else ""
            request.state.session = await sessions.own_dossier(session, closed=name)
            return RedirectResponse("/dossiers", status_code=303)
        try:
            token = await identity.exchange(caller.own_access_token, target)
        except ServiceProblem as problem:
            if problem.status not in REFUSED:
                raise
            request.state.session = await sessions.own_dossier(session, closed=found.name)
            return RedirectResponse("/dossiers", status_code=303)
        request.state.session = await sessions.open_dossier(session, found, token)
        return RedirectResponse("/", status_code=303)

    return router
