"""Access tokens: identity-svc signs them (EdDSA), every other service verifies them locally
against identity-svc's JWKS (cached; refreshed when a token names an unknown ``kid``)."""

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mylm_shared.problems import forbidden, unauthorized

STAFF = "staff"
MEMBER = "member"
ALGORITHMS = ["EdDSA", "ES256"]


@dataclass(frozen=True)
class Principal:
    """Who calls: the account (``sub``), the member they are (None for staff), their roles."""

    subject: str
    member_id: str | None
    roles: frozenset[str]

    @property
    def is_staff(self) -> bool:
        return STAFF in self.roles

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Principal":
        return cls(
            subject=str(claims["sub"]),
            member_id=claims.get("member_id"),
            roles=frozenset(claims.get("roles", [])),
        )


class TokenVerifier:
    """Verifies access tokens against a JWKS URL (PyJWT's caching JWK client), or against
    a key held in process (identity-svc checks its own tokens that way)."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        jwks_url: str | None = None,
        key: Any = None,
        refetch_cooldown_seconds: float = 5.0,
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
        self._issuer = issuer
        self._audience = audience

    async def _key_for(self, token: str) -> Any:
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
        return Principal.from_claims(claims)


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


def ensure_member_access(principal: Principal, member_id: str) -> None:
    """AC-1: a member reaches only their own dossier; staff reach any.

    The same 403 whether or not the other member exists, so nothing leaks.
    (Dependants' dossiers, AC-2..AC-6, come with the token exchange at identity-svc.)
    """
    if principal.is_staff or principal.member_id == member_id:
        return
    raise forbidden("You may only access your own dossier.")
