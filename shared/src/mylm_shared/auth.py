"""Access tokens: identity-svc signs them (EdDSA), every other service verifies them locally
against identity-svc's JWKS (cached; refreshed when a token names an unknown ``kid``)."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mylm_shared.kernel import switches

# The roles live in the kernel (pure); re-exported here for the entrypoints and testkit.
from mylm_shared.kernel.roles import MEMBER as MEMBER
from mylm_shared.kernel.roles import SERVICE as SERVICE
from mylm_shared.kernel.roles import STAFF as STAFF
from mylm_shared.problems import Problem, forbidden, unauthorized

# Issue 15 item 7: identity-svc signs with Ed25519 only, so nothing else is accepted (an
# ES256 token naming a known ``kid`` is refused 401 like any other forgery).
ALGORITHMS = ["EdDSA"]
# Issue 15 item 7 (fail closed): while a service's revocation list is not current, a
# request bearing a token gets 503 with this Retry-After (seconds), never an answer that
# might honour a revoked token.
REVOCATIONS_RETRY_AFTER_SECONDS = 2


@dataclass(frozen=True)
class Actor:
    """RFC 8693 ``act``: the user acting for the token's subject (a titular for a dependant)."""

    account_id: str
    member_id: str | None


@dataclass(frozen=True)
class Principal:
    """Who calls: the token's subject (an account; for an exchanged token the dependant's
    member id), the member whose dossier it reaches (None for staff), its roles, and for
    an exchanged token the user acting (``actor``) and until when the basis holds."""

    subject: str
    member_id: str | None
    roles: frozenset[str]
    actor: Actor | None = None
    issued_at: datetime | None = None
    # OIDC ``auth_time``: when the user last logged in (carried unchanged through refresh
    # and token exchange); a step-up check asks for a recent one (issue 15 item 7).
    auth_time: datetime | None = None
    access_basis: str | None = None  # AC-2 / AC-5 for an exchanged token
    access_until: datetime | None = None  # AC-6: the dependant's 18th birthday under AC-2
    scopes: frozenset[str] = frozenset()  # a service token's ``scope`` (RFC 9068 §2.2.3)

    @property
    def is_staff(self) -> bool:
        return STAFF in self.roles

    @property
    def is_service(self) -> bool:
        return SERVICE in self.roles

    def service_may(self, scope: str) -> bool:
        """A service token granted ``scope`` (never true for a user's token)."""
        return self.is_service and scope in self.scopes

    @property
    def account_id(self) -> str:
        """The account that holds the token (the actor's for an exchanged one)."""
        return self.actor.account_id if self.actor else self.subject

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Principal":
        act = claims.get("act")
        until = claims.get("access_until")
        return cls(
            subject=str(claims["sub"]),
            member_id=claims.get("member_id"),
            roles=frozenset(claims.get("roles", [])),
            actor=Actor(str(act["sub"]), act.get("member_id")) if isinstance(act, dict) else None,
            issued_at=datetime.fromtimestamp(claims["iat"], UTC) if "iat" in claims else None,
            auth_time=datetime.fromtimestamp(claims["auth_time"], UTC)
            if isinstance(claims.get("auth_time"), int | float)
            else None,
            access_basis=claims.get("access_basis"),
            access_until=datetime.fromtimestamp(until, UTC) if until is not None else None,
            scopes=frozenset(str(claims.get("scope") or "").split()),
        )


class Revocations(Protocol):
    """What refuses a valid token before it expires (a suspended account, a withdrawn
    dossier access): the reason, or None when the token may be used."""

    def refusal(self, principal: Principal) -> str | None: ...

    @property
    def current(self) -> bool:
        """The list holds every revocation published so far (caught up and still
        reading); until then tokens are neither accepted nor refused (503)."""
        ...


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class TokenVerifier:
    """Verifies access tokens against a JWKS URL (PyJWT's caching JWK client), or against
    a key or a JWKS held in process (identity-svc checks its own tokens that way: its
    current and previous keys, picked by the token's ``kid``)."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        jwks_url: str | None = None,
        key: Any = None,
        jwks: dict[str, Any] | None = None,
        refetch_cooldown_seconds: float = 5.0,
        clock: Clock = utc_now,
        revocations: Revocations | None = None,
    ) -> None:
        # A token naming an unknown kid refetches the JWKS (identity-svc rotated its
        # key), at most once per cooldown so forged kids cannot hammer identity-svc.
        self._jwks = (
            jwt.PyJWKClient(
                jwks_url,
                cache_jwk_set=True,
                lifespan=300,
                timeout=5,
                cooldown_duration=refetch_cooldown_seconds,
            )
            if jwks_url
            else None
        )
        self._key = key
        self._key_set = jwt.PyJWKSet.from_dict(jwks) if jwks else None
        self._issuer = issuer
        self._audience = audience
        self.clock = clock
        self.revocations = revocations

    async def _key_for(self, token: str) -> Any:
        if self._key_set is not None:
            kid = jwt.get_unverified_header(token).get("kid")
            for jwk in self._key_set.keys:
                if jwk.key_id == kid:
                    return jwk.key
            raise jwt.InvalidTokenError("unknown kid")
        if self._jwks is None:
            return self._key
        # The JWK client fetches over blocking HTTP only on a cache miss / unknown kid.
        return (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key

    async def verify(self, token: str) -> Principal:
        try:
            key = await self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "sub", "iat"]},
            )
        except (jwt.PyJWTError, KeyError) as error:
            raise unauthorized("The bearer token is invalid or expired.") from error
        if claims.get("typ") != "access":
            raise unauthorized("The bearer token is not an access token.")
        principal = Principal.from_claims(claims)
        # AC-6: an exchanged token's basis is checked at each request, not only at issue.
        if principal.access_until is not None and self.clock() >= principal.access_until:
            raise unauthorized("The access to this dossier has ended (AC-6).")
        if self.revocations is not None:
            if not self.revocations.current:
                raise revocations_not_current()
            refusal = self.revocations.refusal(principal)
            if refusal is not None:
                raise unauthorized(refusal)
        return principal


def revocations_not_current() -> Problem:
    """503 + Retry-After: a valid token cannot be told apart from a revoked one yet
    (issue 15 item 7: fail closed, not open)."""
    return Problem(
        503,
        "This service is catching up with revoked sessions; retry shortly.",
        headers={"Retry-After": str(REVOCATIONS_RETRY_AFTER_SECONDS)},
    )


_bearer = HTTPBearer(auto_error=False)


async def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """FastAPI dependency: the verified caller, or 401 problem+json."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    verifier: TokenVerifier = request.app.state.runtime.token_verifier
    return await verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(authenticated)]


async def staff_only(principal: CurrentPrincipal) -> Principal:
    if not principal.is_staff:
        raise forbidden("This operation is for staff only.")
    return principal


StaffPrincipal = Annotated[Principal, Depends(staff_only)]


async def account_holder(principal: CurrentPrincipal) -> Principal:
    """A member's or staff's token: a service token (client credentials) has no account
    and no dossier of its own, so routes about "me" refuse it with 403 (issue 15 item 8)."""
    if principal.is_service:
        raise forbidden("A service token has no account or dossier of its own.")
    return principal


AccountHolder = Annotated[Principal, Depends(account_holder)]


def ensure_member_access(principal: Principal, member_id: str) -> None:
    """AC-1: a member reaches only their own dossier; staff reach any. A titular reaches
    a dependant's dossier (AC-2, AC-5) only with the token exchanged at identity-svc for
    it, whose ``member_id`` is the dependant's (and whose basis the verifier re-checked).

    The same 403 whether or not the other member exists, so nothing leaks.
    """
    if principal.is_staff or principal.member_id == member_id:
        return
    raise forbidden("You may only access your own dossier.")


async def dossier_access(member_id: str, principal: CurrentPrincipal) -> Principal:
    """FastAPI dependency for ``/v1/members/{member_id}/…`` routes: AC-1..AC-5, checked
    before the body is read; 403 for anyone else, whether or not the member exists."""
    ensure_member_access(principal, member_id)
    return principal


DossierPrincipal = Annotated[Principal, Depends(dossier_access)]


def actor_of(principal: Principal, member_id: str) -> switches.Actor:
    """Who switches a member's switch (``mylm_shared.kernel.switches``): staff (their
    subject), the titular acting for the member (``act``), or the member."""
    if principal.is_staff:
        return switches.Actor("staff", principal.subject)
    if principal.actor is not None:
        return switches.Actor("titular", principal.actor.member_id or principal.actor.account_id)
    return switches.Actor("member", member_id)
