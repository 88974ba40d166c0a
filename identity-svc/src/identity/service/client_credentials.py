"""Service tokens: the OAuth 2.0 client credentials grant (RFC 6749 §4.4). A configured
client (``SERVICE_CLIENTS``) proves its secret and gets a short-lived access token for
itself, limited to the scopes it is allowed (§3.3).

The secret is checked like a password (argon2id, off the event loop; an unknown client
costs the same time) and failures are throttled per client address like logins (not per
client id: anyone could then lock a service out).
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from identity.domain.attempts import Locked
from identity.domain.tokens import service_claims
from identity.service.context import IdentityContext

__all__ = ["InvalidClient", "InvalidScope", "Locked", "ServiceToken", "ServiceTokens"]

log = logging.getLogger(__name__)


class InvalidClient(Exception):
    """RFC 6749 §5.2 ``invalid_client``: unknown client or wrong secret (callers cannot
    tell which)."""


class InvalidScope(Exception):
    """RFC 6749 §5.2 ``invalid_scope``: a scope the client may not ask for."""


@dataclass(frozen=True)
class ServiceToken:
    access_token: str
    expires_in: int
    scope: str


@dataclass
class ServiceTokens:
    context: IdentityContext

    async def authenticate(self, client_id: str, secret: str, address: str | None) -> None:
        """Raises ``Locked`` while the address is locked, ``InvalidClient`` (counted as
        a failure of the address) for an unknown client or a wrong secret."""
        throttle = self.context.throttle
        # Counted apart from password logins (their own key per address): a service
        # misconfigured with an old secret must not lock users out, nor the reverse.
        address = f"oauth-client:{address}" if address else None
        # Reserved before verifying (issue 15 item 2); raises Locked.
        reservation = await throttle.reserve(None, address)
        client = self.context.settings.clients.get(client_id)
        secret_ok = await asyncio.to_thread(
            self.context.passwords.verify, client.secret_hash if client else None, secret
        )
        if secret_ok and client is not None:
            await throttle.succeeded(reservation)
            return
        raise InvalidClient()  # the reservation stays: a failure

    def issue(self, client_id: str, scope: str | None) -> ServiceToken:
        """RFC 6749 §3.3: the requested scopes must all be allowed; none requested means
        every scope the client is allowed (the documented default)."""
        settings = self.context.settings
        allowed = settings.clients[client_id].scopes
        requested = tuple(dict.fromkeys(scope.split())) if scope else allowed
        if not set(requested) <= set(allowed):
            raise InvalidScope()
        lifetime = timedelta(seconds=settings.service_token_seconds)
        claims = service_claims(
            client_id,
            requested,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            now=self.context.clock(),
            lifetime=lifetime,
        )
        log.info("service token issued", extra={"client_id": client_id, "scope": claims["scope"]})
        return ServiceToken(
            self.context.signing_key.sign(claims), settings.service_token_seconds, claims["scope"]
        )
