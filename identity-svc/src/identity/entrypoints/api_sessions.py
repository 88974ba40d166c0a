"""Sessions: log in, refresh, log out, log out everywhere, change the password, and the
JWKS that verifies access tokens (issue 7 item 3)."""

from typing import Any, Literal

from fastapi import APIRouter
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses, route_problems
from pydantic import BaseModel, ConfigDict, Field

from identity.entrypoints.deps import (
    OWN_SESSION_ONLY,
    AnonymousOrigin,
    CallerOrigin,
    OwnSession,
    SessionsUseCase,
)
from identity.entrypoints.login_methods import require_method
from identity.entrypoints.problems import (
    BAD_CREDENTIALS,
    OWN_ACCOUNT_GONE,
    PASSWORD_CHANGE,
    REFRESH,
    RESET_REQUIRED,
    THROTTLED_LOGIN,
    WRONG_CURRENT,
)
from identity.service.sessions import TokenPair

router = APIRouter(tags=["sessions"])


class Credentials(InputModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(InputModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=512)


class PasswordChange(InputModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=1024)
    # The policy (12..256 characters, not common, not the username) answers 422 itself,
    # with sentences a user can read; this only bounds the request.
    new_password: str = Field(min_length=1, max_length=1024)


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


THROTTLED = THROTTLED_LOGIN


def _throttled_response() -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(429, described={429: THROTTLED})
    responses[429]["headers"] = {
        "Retry-After": {
            "required": True,
            "description": "Seconds until the lock ends.",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    return responses


@router.post(
    "/v1/sessions",
    dependencies=[require_method("password")],  # RG-6: 403 when not offered
    responses={
        **problem_responses(401, 403, 503, described={401: BAD_CREDENTIALS, 403: RESET_REQUIRED}),
        **_throttled_response(),
    },
)
async def log_in(
    body: Credentials, sessions: SessionsUseCase, origin: AnonymousOrigin
) -> TokenResponse:
    """Log in with username and password; the same 401 for unknown user and wrong password.
    At most 5 failures for a username (known or not) and 20 from one address within
    any 15 minutes: each attempt is reserved before the password is checked, so parallel
    guesses cannot exceed it; beyond it 429 with Retry-After (until the oldest failure
    is 15 minutes old), the password not even checked.
    An account reported compromised (LF-4) answers 403 to the right password only."""
    return TokenResponse.of(await sessions.log_in(body.username, body.password, origin))


@router.post("/v1/sessions/refresh", responses=problem_responses(401, 503))
@route_problems(REFRESH)
async def refresh(body: RefreshRequest, sessions: SessionsUseCase) -> TokenResponse:
    """Trade a refresh token (once) for a new token pair. A session ends 12 hours after
    its login however often it is refreshed, when its account is no longer active or
    must reset its password, and after "log out everywhere" or a password change."""
    return TokenResponse.of(await sessions.refresh(body.refresh_token))


@router.post("/v1/sessions/revoke", status_code=204, responses=problem_responses(503))
async def revoke(body: RefreshRequest, sessions: SessionsUseCase, origin: AnonymousOrigin) -> None:
    """Log out: the refresh token and every token rotated from it stop working."""
    await sessions.revoke(body.refresh_token, origin)


@router.delete(
    "/v1/me/sessions",
    status_code=204,
    responses=problem_responses(401, 403, 503, described={403: OWN_SESSION_ONLY}),
)
@route_problems(OWN_ACCOUNT_GONE)
async def log_out_everywhere(
    sessions: SessionsUseCase, principal: OwnSession, origin: CallerOrigin
) -> None:
    """Log out everywhere: every session of the account ends (its refresh tokens stop
    working) and every access token issued so far is refused by every service."""
    await sessions.log_out_everywhere(principal.account_id, origin)


@router.put(
    "/v1/me/password",
    responses={
        **problem_responses(
            401,
            403,
            422,
            503,
            described={
                403: f"{WRONG_CURRENT} / {OWN_SESSION_ONLY} / the account is not active or "
                "must reset its password through a code (LF-4).",
                422: "The new password is not accepted; `errors` says why, for the user.",
            },
        ),
        **_throttled_response(),
    },
)
@route_problems(PASSWORD_CHANGE)
async def change_password(
    body: PasswordChange,
    sessions: SessionsUseCase,
    principal: OwnSession,
    origin: CallerOrigin,
) -> TokenResponse:
    """Change the password: needs the current one (wrong guesses count towards the same
    lock as logins); the new one must be 12 to 256 characters, not a common or breached
    password, and not contain the username. Every session of the account ends, this one
    included, and every access token issued so far is refused: the answer is a new
    session to continue with."""
    account_id = principal.account_id
    pair = await sessions.change_password(
        account_id, body.current_password, body.new_password, origin
    )
    return TokenResponse.of(pair)


@router.get("/.well-known/jwks.json")
async def jwks(sessions: SessionsUseCase) -> dict[str, Any]:
    """The public keys that verify access tokens: the current one and, after a rotation,
    the previous one, so tokens signed before it stay valid until they expire."""
    return sessions.jwks()
