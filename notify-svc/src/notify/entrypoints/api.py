"""notify-svc HTTP API (issue 19 items 4 and 6, EI-4): the member's e-mail switches, the
notification address (changed by a code sent to the new address) and the notification
log; staff's list of deliveries by status (failures).

Who may call: ``entrypoints/deps.py`` (member, titular acting for them, staff reading).
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from mylm_shared.auth import StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.kernel.masking import mask_email
from mylm_shared.problems import Problem, ProblemMap, problem_responses
from pydantic import BaseModel, ConfigDict, Field

from notify.domain.address import (
    CODE_LIFETIME,
    AddressProblem,
    CodeExpired,
    CodeLocked,
    CodeProblem,
    InvalidAddress,
    NoPendingChange,
    TooManyCodes,
    WrongCode,
)
from notify.domain.delivery import (
    Delivery,
    InvalidCursor,
    Status,
    decode_cursor,
    encode_cursor,
)
from notify.domain.preferences import CATEGORIES, Category, Preferences
from notify.entrypoints.deps import Deliveries, Members, Reader, Writer
from notify.service.member_settings import CodeNotSent

router = APIRouter(tags=["notifications"])


def _address_problem(problem: AddressProblem | CodeProblem) -> Problem:
    match problem:
        case WrongCode():
            return Problem(
                422,
                f"The code is not right; {problem.attempts_left} attempts left.",
                reason=problem.reason,
                attempts_left=problem.attempts_left,
            )
        case InvalidAddress():
            return Problem(422, "This is not an e-mail address.", reason=problem.reason)
        case NoPendingChange():
            return Problem(409, "No address change is waiting for a code.", reason=problem.reason)
        case CodeExpired() | CodeLocked():
            return Problem(
                410, f"{problem} — ask for a new code.", title="Gone", reason=problem.reason
            )
    return Problem(422, str(problem), reason=problem.reason)


PROBLEMS = (
    ProblemMap()
    .on(AddressProblem, _address_problem)
    .on(CodeProblem, _address_problem)
    .on(
        CodeNotSent,
        lambda _: Problem(
            503,
            "The code could not be e-mailed now; please try again in a few minutes.",
            headers={"Retry-After": "60"},
        ),
    )
    .on(
        TooManyCodes,
        lambda e: Problem(
            429,
            "Too many codes were asked for this member: ask again after the number of "
            "seconds in Retry-After.",
            title="Too Many Requests",
            reason=e.reason,
            retry_after=e.retry_after_seconds,
            headers={"Retry-After": str(e.retry_after_seconds)},
        ),
    )
    .on(InvalidCursor, lambda _: Problem(422, "The cursor is not one this service gave."))
)
TOO_MANY_CODES: dict[int | str, dict[str, Any]] = {
    429: {
        **problem_responses(
            429, described={429: "Too many code e-mails for this member (EI-4); wait."}
        )[429],
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}
        },
    }
}


class EmailSwitches(BaseModel):
    """Per category: ``true`` e-mails are sent, ``false`` not (EI-4). Security messages
    (the code for a new notification address, the notice of its change, the payout
    account's change) and the announcement of new e-invoicing conditions (EI-6) are
    always sent."""

    invoices: bool = Field(description="New invoices (electronic ones) and their reminders.")
    documents: bool = Field(description="New documents in the inbox.")
    policy: bool = Field(description="The policy's amendment deadlines (PC-7).")
    claims: bool = Field(description="A claim's milestones (CL-1).")


class PreferencesOut(BaseModel):
    email: EmailSwitches


class SwitchesIn(InputModel):
    model_config = ConfigDict(extra="forbid")

    invoices: bool | None = None
    documents: bool | None = None
    policy: bool | None = None
    claims: bool | None = None


class PreferencesIn(InputModel):
    """Partial or full: the categories given change, the others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: SwitchesIn


def _out(preferences: Preferences) -> PreferencesOut:
    return PreferencesOut(email=EmailSwitches(**preferences.as_dict()))


@router.get(
    "/v1/members/{member_id}/preferences",
    response_model=PreferencesOut,
    responses=problem_responses(401, 403, 503),
)
async def get_preferences(member_id: str, _: Reader, members: Members) -> PreferencesOut:
    """The member's e-mail switches (EI-4); all on until the member switches one off."""
    return _out(await members.preferences(member_id))


@router.put(
    "/v1/members/{member_id}/preferences",
    response_model=PreferencesOut,
    responses=problem_responses(401, 403, 422, 503),
)
async def put_preferences(
    member_id: str, body: PreferencesIn, _: Writer, members: Members
) -> PreferencesOut:
    """Switches e-mails per category on or off (EI-4: "De melding kan ook uitgeschakeld
    worden"). Partial or full: the categories given change, the others stay. The member
    or a titular acting for them; staff read only."""
    given: dict[Category, bool] = {
        category: value
        for category in CATEGORIES
        if (value := getattr(body.email, category)) is not None
    }
    return _out(await members.change_preferences(member_id, given))


class AddressIn(InputModel):
    model_config = ConfigDict(extra="forbid")

    address: str = Field(min_length=3, max_length=254)


class PendingAddressOut(BaseModel):
    address: str = Field(
        description="The new address, in full (the member's own, as typed: a typo shows)."
    )
    expires_at: datetime = Field(description="Until when its code counts.")


class NotificationAddressOut(BaseModel):
    address: str | None = Field(
        description="The address notifications go to now; null: no e-mail on file."
    )
    source: Literal["default", "member"] = Field(
        description="default: the e-mail on file; member: an address the member confirmed."
    )
    pending: PendingAddressOut | None = Field(
        description="A change waiting for its code (not confirmed, expired or locked)."
    )


@router.get(
    "/v1/members/{member_id}/email",
    response_model=NotificationAddressOut,
    responses=problem_responses(401, 403, 503),
)
async def get_address(member_id: str, _: Reader, members: Members) -> NotificationAddressOut:
    """EI-4: the notification address in use (by default the e-mail on file) and the
    change waiting for its code, if any. The member, a titular acting for them, staff."""
    found = await members.address(member_id)
    pending = found.pending
    return NotificationAddressOut(
        address=found.address,
        source=found.source,
        pending=PendingAddressOut(address=pending.address, expires_at=pending.expires_at)
        if pending
        else None,
    )


class AddressChangeOut(BaseModel):
    sent_to: str = Field(description="The new address, masked: the code went there.")
    expires_at: datetime
    code_valid_minutes: int


@router.put(
    "/v1/members/{member_id}/email",
    response_model=AddressChangeOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses={**problem_responses(401, 403, 422, 503), **TOO_MANY_CODES},
)
async def change_address(
    member_id: str, body: AddressIn, _: Writer, members: Members
) -> AddressChangeOut:
    """EI-4: asks to send notifications to ``address`` from now on. A code goes to that
    address; nothing changes until it is confirmed (``…/email/confirm``). A new request
    ends the earlier one. By default at most 5 code e-mails per member in any hour, 60 s apart
    (EI-4, settings ``ADDRESS_CODE*``): beyond, 429 + Retry-After and nothing changes."""
    change = await members.request_address_change(member_id, body.address)
    return AddressChangeOut(
        sent_to=mask_email(change.address),
        expires_at=change.expires_at,
        code_valid_minutes=int(CODE_LIFETIME.total_seconds() // 60),
    )


class CodeIn(InputModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20)


class AddressOut(BaseModel):
    address: str = Field(description="The notification address now in use.")


@router.post(
    "/v1/members/{member_id}/email/confirm",
    response_model=AddressOut,
    responses=problem_responses(401, 403, 409, 410, 422, 503),
)
async def confirm_address(member_id: str, body: CodeIn, _: Writer, members: Members) -> AddressOut:
    """EI-4: the code sent to the new address makes it the notification address (it
    wins over later changes of the e-mail on file); the old address is told. At most 5
    attempts, within 15 minutes."""
    return AddressOut(address=await members.confirm_address(member_id, body.code))


class NotificationOut(BaseModel):
    notification_id: str
    kind: str = Field(description="What the e-mail is about (invoice_issued, claim_decision …).")
    subject: str
    address: str = Field(description="The address it went to, masked.")
    status: Status = Field(description="sent, pending (being retried) or failed.")
    attempts: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    error: str | None = Field(description="Why the last attempt failed, if it did.")
    member_id: str


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last."
    )


Cursor = Annotated[
    str | None, Query(max_length=300, description="`next_cursor` of the previous page.")
]
Limit = Annotated[int, Query(ge=1, le=200)]


def _page(found: list[Delivery], limit: int) -> NotificationPage:
    shown = found[:limit]
    items = [
        NotificationOut.model_validate(d.entry(mask_email), from_attributes=True) for d in shown
    ]
    more = len(found) > limit
    return NotificationPage(
        items=items, next_cursor=encode_cursor(shown[-1].entry(mask_email)) if more else None
    )


@router.get(
    "/v1/members/{member_id}/notifications",
    response_model=NotificationPage,
    responses=problem_responses(401, 403, 422, 503),
)
async def member_notifications(
    member_id: str,
    _: Reader,
    deliveries: Deliveries,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> NotificationPage:
    """The member's notification log, newest first (issue 19 item 6): what was e-mailed,
    to which address (masked), sent, pending (retried) or failed."""
    after = decode_cursor(cursor) if cursor else None
    found = await deliveries.log_of(member_id, limit=limit + 1, after=after)
    return _page(found, limit)


@router.get(
    "/v1/notifications",
    response_model=NotificationPage,
    responses=problem_responses(401, 403, 422, 503),
)
async def notifications_by_status(
    _: StaffPrincipal,
    deliveries: Deliveries,
    status: Status = "failed",
    cursor: Cursor = None,
    limit: Limit = 50,
) -> NotificationPage:
    """Staff: every member's deliveries in ``status`` (by default the failed ones: the
    SMTP server refused them for good, e.g. an unknown mailbox), newest first."""
    after = decode_cursor(cursor) if cursor else None
    found = await deliveries.with_status(status, limit=limit + 1, after=after)
    return _page(found, limit)
