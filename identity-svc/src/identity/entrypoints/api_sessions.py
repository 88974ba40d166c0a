"""Sessions: log in, refresh, log out, and the JWKS that verifies access tokens."""

from typing import Any, Literal

from fastapi import APIRouter
from mylm_shared.problems import problem_responses, unauthorized
from pydantic import BaseModel, ConfigDict, Field

from identity.entrypoints.deps import AnonymousOrigin, Context, SessionsUseCase
from identity.service.sessions import InvalidCredentials, TokenPair

router = APIRouter(tags=["sessions"])


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=512)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105
    expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> "TokenResponse":
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_in=pair.expires_in,
        )


BAD_CREDENTIALS = "Unknown username or wrong password."


@router.post(
    "/v1/sessions", responses=problem_responses(401, 503, described={401: BAD_CREDENTIALS})
)
async def log_in(
    body: Credentials, sessions: SessionsUseCase, origin: AnonymousOrigin
) -> TokenResponse:
    """Log in with username and password; the same 401 for unknown user and wrong password."""
    try:
        return TokenResponse.of(await sessions.log_in(body.username, body.password, origin))
    except InvalidCredentials:
        raise unauthorized(BAD_CREDENTIALS) from None


@router.post("/v1/sessions/refresh", responses=problem_responses(401, 503))
async def refresh(body: RefreshRequest, sessions: SessionsUseCase) -> TokenResponse:
    """Trade a refresh token (once) for a new token pair."""
    try:
        return TokenResponse.of(await sessions.refresh(body.refresh_token))
    except InvalidCredentials:
        raise unauthorized("The refresh token is invalid, used or expired.") from None


@router.post("/v1/sessions/revoke", status_code=204, responses=problem_responses(503))
async def revoke(body: RefreshRequest, sessions: SessionsUseCase) -> None:
    """Log out: the refresh token and every token rotated from it stop working."""
    await sessions.revoke(body.refresh_token)


@router.get("/.well-known/jwks.json")
async def jwks(context: Context) -> dict[str, Any]:
    """The public keys that verify access tokens."""
    return context.signing_key.jwks()
