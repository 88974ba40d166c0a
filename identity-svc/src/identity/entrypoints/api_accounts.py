"""identity-svc routes: account life (LF-1..LF-4).

Staff suspend (LF-2), reactivate and end (LF-1) a member's account; the user reads their
account's status and its reason (LF-3) and reports compromised credentials (LF-4).

How a user whose tokens are refused reads the reason (LF-3): ``GET /v1/me/status``
accepts their own access token while it is signed and unexpired *even when the
revocation list refuses it* (this read-only route alone, and only for the token's own
account, never an exchanged token): a user whose requests start failing can ask why at
once. Once that token has expired they cannot log in (a suspended or ended account is
refused), so ``POST /v1/me/status`` takes the username and password instead, throttled
and answered exactly like a login. Neither reveals more than the account's own status
to whoever proves to hold it.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from mylm_shared.auth import Principal, StaffPrincipal
from mylm_shared.inputs import InputModel, Multiline
from mylm_shared.problems import problem_responses, route_problems, unauthorized
from pydantic import BaseModel, ConfigDict, Field, field_validator

from identity.domain.accounts import SUSPENSION_REASONS, AccountStatus
from identity.entrypoints.deps import (
    OWN_SESSION_ONLY,
    AnonymousOrigin,
    CallerOrigin,
    LifeUseCase,
    OwnSession,
    UseCases,
    own_session,
)
from identity.entrypoints.problems import (
    BAD_CREDENTIALS,
    MY_STATUS,
    MY_STATUS_BY_PASSWORD,
    NO_ACCOUNT,
    OWN_ACCOUNT_GONE,
)
from identity.service.account_life import AccountState

router = APIRouter(tags=["accounts"])


class Suspension(InputModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(
        description="One of the reasons of the terms' art. 6.2 (LF-2).",
        json_schema_extra={"enum": list(SUSPENSION_REASONS)},
    )

    @field_validator("reason")
    @classmethod
    def _one_of_lf2(cls, reason: str) -> str:
        if reason not in SUSPENSION_REASONS:
            raise ValueError(f"must be one of LF-2's reasons: {', '.join(SUSPENSION_REASONS)}")
        return reason


class Termination(InputModel):
    model_config = ConfigDict(extra="forbid")
    reason: Multiline = Field(
        min_length=1,
        max_length=4000,
        description="The user's letter to the mutuality (LF-1) or the mutuality's decision; "
        "may hold line breaks.",
    )


class Credentials(InputModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class AccountStatusResponse(BaseModel):
    """LF-3: the account's status and why; ``password_reset_required`` after a
    compromise report (LF-4) until a new password is set through a code."""

    account_id: str
    member_id: str | None
    status: AccountStatus
    reason: str | None
    changed_at: datetime | None
    password_reset_required: bool

    @classmethod
    def of(cls, state: AccountState) -> "AccountStatusResponse":
        return cls(**asdict(state))


STAFF_RESPONSES = problem_responses(
    401, 403, 404, 409, 503, described={404: NO_ACCOUNT, 409: "The account's state forbids it."}
)


@router.post("/v1/accounts/{member_id}/suspension", responses=STAFF_RESPONSES)
async def suspend(
    member_id: str,
    body: Suspension,
    life: LifeUseCase,
    principal: StaffPrincipal,
    origin: CallerOrigin,
) -> AccountStatusResponse:
    """Staff: suspend the member's account at once, for one of LF-2's reasons (422 lists
    them). It can no longer log in, refresh or exchange, and every service refuses its
    access tokens within seconds. 409 for an ended account."""
    return AccountStatusResponse.of(await life.suspend(member_id, body.reason, origin))


@router.delete("/v1/accounts/{member_id}/suspension", responses=STAFF_RESPONSES)
async def reactivate(
    member_id: str, life: LifeUseCase, principal: StaffPrincipal, origin: CallerOrigin
) -> AccountStatusResponse:
    """Staff: reactivate a suspended account (409 otherwise). The user logs in again;
    the sessions and tokens of before the suspension stay refused."""
    return AccountStatusResponse.of(await life.reactivate(member_id, origin))


@router.post("/v1/accounts/{member_id}/termination", responses=STAFF_RESPONSES)
async def terminate(
    member_id: str,
    body: Termination,
    life: LifeUseCase,
    principal: StaffPrincipal,
    origin: CallerOrigin,
) -> AccountStatusResponse:
    """Staff: end the account (LF-1), recording the user's letter (or the mutuality's
    decision) as the reason the user can read (LF-3). 409 if it has ended already."""
    return AccountStatusResponse.of(await life.end(member_id, body.reason, origin))


_bearer = HTTPBearer(auto_error=False)


async def _token_holder(
    use_cases: UseCases,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Verified with identity's own keys, without the revocation list (see the module's
    docstring): ``IdentityUseCases.status_verifier``."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    return await use_cases.status_verifier.verify(credentials.credentials)


@router.get(
    "/v1/me/status",
    tags=["members"],
    responses=problem_responses(401, 403, 404, 503, described={403: OWN_SESSION_ONLY}),
)
@route_problems(MY_STATUS)
async def my_status(
    life: LifeUseCase, principal: Annotated[Principal, Depends(_token_holder)]
) -> AccountStatusResponse:
    """LF-3: the account's status and, when access is refused fully or partly, why.
    Answers with the user's own access token even when the account was suspended or
    ended and the token is refused elsewhere (until it expires)."""
    own_session(principal)
    return AccountStatusResponse.of(await life.state(principal.account_id))


@router.post(
    "/v1/me/status",
    tags=["members"],
    responses={
        **problem_responses(401, 503, described={401: BAD_CREDENTIALS}),
        429: {
            **problem_responses(429, described={429: "Too many failed attempts."})[429],
            "headers": {"Retry-After": {"required": True, "schema": {"type": "integer"}}},
        },
    },
)
@route_problems(MY_STATUS_BY_PASSWORD)
async def my_status_by_password(
    body: Credentials, life: LifeUseCase, origin: AnonymousOrigin
) -> AccountStatusResponse:
    """LF-3 for a user who can no longer log in (suspended or ended account, no token
    left): the same answer as ``GET``, proven with username and password. Failures count
    towards the login lock (429 with Retry-After); the same 401 for unknown user and
    wrong password."""
    return AccountStatusResponse.of(
        await life.state_by_credentials(body.username, body.password, origin)
    )


@router.post(
    "/v1/me/compromised",
    tags=["members"],
    responses=problem_responses(401, 403, 503, described={403: OWN_SESSION_ONLY}),
)
@route_problems(OWN_ACCOUNT_GONE)
async def report_compromise(
    life: LifeUseCase, principal: OwnSession, origin: CallerOrigin
) -> AccountStatusResponse:
    """LF-4: the user reports that their credentials may be misused. Every session ends
    at once (refresh tokens revoked, access tokens refused by every service, this one
    included) and the account needs a new password, set through a code sent to the
    contact on file (``POST /v1/password-resets``) before it can log in again."""
    return AccountStatusResponse.of(await life.report_compromise(principal.account_id, origin))
