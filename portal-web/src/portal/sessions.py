"""Server-side sessions (the BFF pattern of OAuth 2.0 for Browser-Based Apps): the
browser holds only a random opaque id; the tokens stay here. Idle and absolute expiry;
the access token refreshed at identity when it (nearly) expires.

A dependant's dossier (issue 20 item 2, AC-2/AC-5) is opened by identity's token exchange:
its access token is kept beside the member's own, re-exchanged with the member's token
when it (nearly) expires; the member's refresh token stays the only one."""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from portal.ports import Language, PortalSession, ServiceProblem, SessionStore
from portal.settings import PortalSettings
from portal.upstream.identity import Dossier, ExchangedToken, IdentityPort, TokenPair

# Writing last_seen on every request would cost a write per page; this is fine enough.
TOUCH_EVERY = timedelta(seconds=60)


def session_key(session_id: str) -> str:
    """What the store keys on: a leaked database does not give usable cookies."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def csrf_matches(session: PortalSession, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(session.csrf.encode(), given.encode())


class Sessions:
    def __init__(
        self,
        settings: PortalSettings,
        store: SessionStore,
        identity: IdentityPort,
        clock: Callable[[], datetime],
    ) -> None:
        self._settings = settings
        self._store = store
        self._identity = identity
        self._clock = clock

    def _expired(self, session: PortalSession, now: datetime) -> bool:
        idle = timedelta(seconds=self._settings.session_idle_seconds)
        absolute = timedelta(seconds=self._settings.session_absolute_seconds)
        return now - session.last_seen > idle or now - session.created_at > absolute

    async def load(self, session_id: str | None) -> PortalSession | None:
        """The live session of this cookie; an expired one is deleted (None)."""
        if not session_id or len(session_id) > 128:
            return None
        session = await self._store.get(session_key(session_id))
        if session is None:
            return None
        now = self._clock()
        if self._expired(session, now):
            await self.end(session)
            return None
        if now - session.last_seen >= TOUCH_EVERY:
            session.last_seen = now
            await self._store.put(session)
        return session

    async def start(self, language: Language) -> tuple[str, PortalSession]:
        """A new anonymous session (it carries the CSRF token of the log-in form)."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        session = PortalSession(
            key=session_key(session_id),
            csrf=secrets.token_urlsafe(32),
            language=language,
            created_at=now,
            last_seen=now,
        )
        await self._store.put(session)
        return session_id, session

    async def log_in(
        self, previous: PortalSession, pair: TokenPair, member_id: str, language: Language
    ) -> tuple[str, PortalSession]:
        """A new id (and CSRF token) at log-in: no session fixation."""
        await self._store.delete(previous.key)
        session_id, session = await self.start(language)
        session.member_id = member_id
        self._keep(session, pair)
        await self._store.put(session)
        return session_id, session

    def _keep(self, session: PortalSession, pair: TokenPair) -> None:
        session.access_token = pair.access_token
        session.refresh_token = pair.refresh_token
        session.access_expires_at = self._clock() + timedelta(seconds=pair.expires_in)

    async def fresh(self, session: PortalSession) -> PortalSession | None:
        """The session with a usable access token, refreshed at identity when it has less
        than the margin left; None (and the session ended) when identity refuses."""
        if not session.logged_in or session.refresh_token is None:
            return None
        if self._margin_left(session.access_expires_at):
            return session
        try:
            pair = await self._identity.refresh(session.refresh_token)
        except ServiceProblem as problem:
            if problem.status in (400, 401, 403, 422):
                await self.end(session)
                return None
            raise
        renewed = replace(session)
        self._keep(renewed, pair)
        await self._store.put(renewed)
        return renewed

    def _margin_left(self, expires: datetime | None) -> bool:
        margin = timedelta(seconds=self._settings.refresh_margin_seconds)
        return expires is not None and self._clock() + margin < expires

    async def open_dossier(
        self, session: PortalSession, dossier: Dossier, token: ExchangedToken
    ) -> PortalSession:
        """The dependant's dossier open: its exchanged token kept beside the member's."""
        opened = replace(
            session,
            dossier_member_id=dossier.member_id,
            dossier_name=dossier.name,
            dossier_token=token.access_token,
            dossier_expires_at=self._clock() + timedelta(seconds=token.expires_in),
            dossier_closed=None,
        )
        await self._store.put(opened)
        return opened

    async def own_dossier(self, session: PortalSession, closed: str | None = None) -> PortalSession:
        """Back to the member's own dossier (AC-1): the dependant's token dropped;
        ``closed`` names the dependant whose dossier identity refused (told once)."""
        own = replace(
            session,
            dossier_member_id=None,
            dossier_name=None,
            dossier_token=None,
            dossier_expires_at=None,
            dossier_closed=closed,
        )
        await self._store.put(own)
        return own

    async def dossier_fresh(self, session: PortalSession) -> PortalSession:
        """The open dependant's dossier with a usable token: re-exchanged at identity with
        the member's own (fresh) token when it has less than the margin left. Identity
        refusing (403: AC-3 revoked, AC-5 withdrawn, AC-6 the 18th birthday) closes it."""
        if session.dossier_member_id is None or self._margin_left(session.dossier_expires_at):
            return session
        if session.access_token is None:
            return await self.own_dossier(session)
        try:
            token = await self._identity.exchange(session.access_token, session.dossier_member_id)
        except ServiceProblem as problem:
            if problem.status in (403, 404, 409):
                return await self.own_dossier(session, closed=session.dossier_name or "")
            raise
        renewed = replace(
            session,
            dossier_token=token.access_token,
            dossier_expires_at=self._clock() + timedelta(seconds=token.expires_in),
        )
        await self._store.put(renewed)
        return renewed

    async def save(self, session: PortalSession) -> None:
        await self._store.put(session)

    async def end(self, session: PortalSession) -> None:
        await self._store.delete(session.key)
