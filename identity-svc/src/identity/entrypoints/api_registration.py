"""Registration by code (RG-1..RG-4) and password reset by code (issue 7 item 3, LF-4).

Asking for a code always answers 202 with the same shape, whether or not anyone was
found (no account enumeration); the code goes to the contact already on file (RG-2).
Issue 15 item 1: both routes are throttled per client address, guesses are budgeted
across codes, 429 + Retry-After beyond; confirming checks the code first.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses, route_problems
from pydantic import BaseModel, ConfigDict, Field

from identity.domain.codes import CODE_LIFETIME, MAX_ATTEMPTS
from identity.entrypoints.deps import AnonymousOrigin, PasswordResetUseCase, RegistrationUseCase
from identity.entrypoints.problems import CODES, THROTTLED_CODES

router = APIRouter(tags=["registration"])


RequestId = Annotated[str, Path(min_length=1, max_length=64)]
Code = Annotated[str, Field(min_length=1, max_length=16, description="The 6-digit code.")]


class CodeRequestBody(InputModel):
    model_config = ConfigDict(extra="forbid")
    identifier: str = Field(
        min_length=1, max_length=64, description="Member number or national register number."
    )
    channel: Literal["email", "sms"]


class ResetRequestBody(CodeRequestBody):
    identifier: str = Field(
        min_length=1,
        max_length=128,
        description="Username, member number or national register number.",
    )


class RegistrationStarted(BaseModel):
    registration_id: str
    sent_to: str = Field(description="The contact on file the code was sent to, masked.")


class ResetStarted(BaseModel):
    reset_id: str
    sent_to: str = Field(description="The contact on file the code was sent to, masked.")


class ConfirmRegistration(InputModel):
    model_config = ConfigDict(extra="forbid")
    code: Code
    username: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
    password: str = Field(min_length=1, max_length=1024)
    accept_terms: bool = Field(description='RG-4: "Ik aanvaard de voorwaarden" ticked.')
    terms_version: str = Field(min_length=1, max_length=32)


class AccountOpened(BaseModel):
    account_id: str
    member_id: str
    username: str


class ConfirmReset(InputModel):
    model_config = ConfigDict(extra="forbid")
    code: Code
    new_password: str = Field(min_length=1, max_length=1024)


_CODE_DESCRIPTIONS = {
    404: "No such request.",
    409: "The username is taken (case-insensitively) or the member has an account.",
    410: (
        f"The code expired ({int(CODE_LIFETIME.total_seconds()) // 60} minutes), was used, "
        f"was replaced by a newer code, or its {MAX_ATTEMPTS} attempts are used up: ask "
        "for a new code (`reason`)."
    ),
    422: "Wrong code (`attempts_left`), terms not accepted, or a refused password (`errors`).",
}


THROTTLED = THROTTLED_CODES


def _throttled_responses(*statuses: int, **kwargs: Any) -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(*statuses, 429, **kwargs)
    responses[429]["description"] = THROTTLED
    responses[429]["headers"] = {
        "Retry-After": {
            "required": True,
            "description": "Seconds until a new attempt is allowed.",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    return responses


@router.post(
    "/v1/registrations",
    status_code=202,
    responses=_throttled_responses(422, 503),
)
@route_problems(CODES)
async def start_registration(
    body: CodeRequestBody, registration: RegistrationUseCase, origin: AnonymousOrigin
) -> RegistrationStarted:
    """RG-1, RG-2: a 6-digit code to the member's e-mail or mobile on file (valid 15
    minutes, 5 attempts). The same answer whether or not the member exists."""
    sent = await registration.request(body.identifier, body.channel, origin)
    return RegistrationStarted(registration_id=sent.code_id, sent_to=sent.sent_to)


@router.post(
    "/v1/registrations/{registration_id}/confirm",
    status_code=201,
    responses=_throttled_responses(404, 409, 410, 422, 503, described=_CODE_DESCRIPTIONS),
)
@route_problems(CODES)
async def confirm_registration(
    registration_id: RequestId,
    body: ConfirmRegistration,
    registration: RegistrationUseCase,
    origin: AnonymousOrigin,
) -> AccountOpened:
    """RG-3, RG-4: the code, a username (unique case-insensitively), a password (NIST SP
    800-63B) and the accepted terms version open the member's account."""
    account = await registration.confirm(
        registration_id,
        body.code,
        username=body.username,
        password=body.password,
        accept_terms=body.accept_terms,
        terms_version=body.terms_version,
        origin=origin,
    )
    assert account.member_id is not None and account.username is not None
    return AccountOpened(
        account_id=account.account_id, member_id=account.member_id, username=account.username
    )


@router.post("/v1/password-resets", status_code=202, responses=_throttled_responses(422, 503))
@route_problems(CODES)
async def start_password_reset(
    body: ResetRequestBody, reset: PasswordResetUseCase, origin: AnonymousOrigin
) -> ResetStarted:
    """A code to the account's e-mail or mobile on file; the same answer whether or not
    the account exists."""
    sent = await reset.request(body.identifier, body.channel, origin)
    return ResetStarted(reset_id=sent.code_id, sent_to=sent.sent_to)


@router.post(
    "/v1/password-resets/{reset_id}/confirm",
    status_code=204,
    responses=_throttled_responses(404, 410, 422, 503, described=_CODE_DESCRIPTIONS),
)
@route_problems(CODES)
async def confirm_password_reset(
    reset_id: RequestId, body: ConfirmReset, reset: PasswordResetUseCase, origin: AnonymousOrigin
) -> None:
    """Sets the new password, ends every session and lifts LF-4's forced reset."""
    await reset.confirm(reset_id, body.code, body.new_password, origin)
