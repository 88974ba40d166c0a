"""What every page shares (the ``Web`` object the routers get): rendering a page in the
session's language, the CSRF and origin checks of a form, the logged-in member's session,
and a service's problem told as the member understands it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from mylm_shared.kernel.formatting import day, euro
from mylm_shared.texts.portal import label, portal_text
from starlette.datastructures import FormData

from portal.ports import DossierClosed, Language, PortalSession, ServiceProblem
from portal.sessions import Sessions, csrf_matches
from portal.settings import PortalSettings
from portal.upstream import Upstreams

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Caller:
    """A logged-in member's request: the dossier the pages show (``member_id``) and the
    access token that opens it (fresh): the member's own (AC-1), or, with a dependant's
    dossier open (issue 20 item 2, AC-2/AC-5), the token identity exchanged for it.
    What only the member themselves may do (their account, sessions, password at
    identity) uses ``own_access_token``: an exchanged token cannot."""

    session: PortalSession
    access_token: str
    member_id: str
    own_access_token: str = ""
    own_member_id: str = ""

    @property
    def language(self) -> Language:
        return self.session.language

    @property
    def acting(self) -> bool:
        """A dependant's dossier is open: the member acts for them."""
        return self.session.acting


class Forbidden(Exception):
    """A POST without the session's CSRF token or from another origin."""


class NotLoggedIn(Exception):
    """No live member session: to the log-in page."""


def problem_message(problem: ServiceProblem, language: Language, known: dict[int, str]) -> str:
    """A service's refusal as the member reads it: the page's own words for the statuses
    it expects (``known``: status → text key), else the service's detail (problem+json,
    in English), else a general "try again later"."""
    key = known.get(problem.status)
    if key is not None:
        return portal_text(key, language)
    if 400 <= problem.status < 500 and problem.detail:
        return problem.detail
    return portal_text("unavailable", language)


class Web:
    def __init__(
        self,
        settings: PortalSettings,
        sessions: Sessions,
        services: Upstreams,
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.services = services
        self.clock = clock
        env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        )
        self.templates = Jinja2Templates(env=env)

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        session: PortalSession = request.state.session
        lang = session.language

        def t(key: str, **values: object) -> str:
            return portal_text(key, lang, **values)

        return self.templates.TemplateResponse(
            request,
            name,
            {
                "t": t,
                "colon": lambda key: label(key, lang),
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

    def not_found(self, request: Request) -> HTMLResponse:
        return self.page(request, "error.html", 404, title="not_found_title", message="not_found")

    async def checked_form(self, request: Request) -> FormData:
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

    async def caller(self, request: Request) -> Caller:
        """The logged-in member, their access token fresh; else to the log-in page."""
        session: PortalSession = request.state.session
        if not session.logged_in:
            raise NotLoggedIn
        fresh = await self.sessions.fresh(session)
        if fresh is None or fresh.access_token is None or fresh.member_id is None:
            raise NotLoggedIn
        token, member_id, was_acting = fresh.access_token, fresh.member_id, fresh.acting
        fresh = await self.sessions.dossier_fresh(fresh)  # issue 20 item 2
        request.state.session = fresh
        if was_acting and not fresh.acting:
            raise DossierClosed  # identity refused the dependant's dossier: say why
        if fresh.dossier_member_id is not None and fresh.dossier_token is not None:
            return Caller(fresh, fresh.dossier_token, fresh.dossier_member_id, token, member_id)
        return Caller(fresh, token, member_id, token, member_id)

    async def dossier_closed(self, request: Request) -> None:
        """A service refused the open dependant's token (401: AC-3, AC-5 withdrawn, AC-6,
        or the member's own tokens revoked): back to the member's own dossier, told why."""
        session: PortalSession = request.state.session
        closed = session.dossier_name or ""
        request.state.session = await self.sessions.own_dossier(session, closed=closed)

    async def anonymous_again(self, request: Request, ended: PortalSession) -> None:
        await self.sessions.end(ended)
        new_id, session = await self.sessions.start(ended.language)
        request.state.new_session_id = new_id
        request.state.session = session
