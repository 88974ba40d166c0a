"""The caller's profile and the member directory (staff)."""

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter
from mylm_shared.auth import AccountHolder, CurrentPrincipal, StaffPrincipal, ensure_member_access
from mylm_shared.inputs import InputModel
from mylm_shared.problems import Problem, problem_responses
from pydantic import ConfigDict, EmailStr, Field

from identity.domain.members import Member, MemberEntry
from identity.entrypoints.deps import CallerOrigin, DirectoryUseCase
from identity.service.audit import record_acting
from identity.service.member_rows import AddressRow

router = APIRouter(tags=["members"])


@router.get("/v1/me", responses=problem_responses(401, 403, 503))
async def me(
    principal: AccountHolder, directory: DirectoryUseCase, origin: CallerOrigin
) -> dict[str, Any]:
    """The caller: account, member id (null for staff), roles, and their member summary.
    Acting for a dependant: recorded in the dependant's audit trail (LF-5)."""
    await record_acting(directory.context, origin, "dossier.profile_read")
    body: dict[str, Any] = {
        "account_id": principal.account_id,
        "member_id": principal.member_id,
        "roles": sorted(principal.roles),
        "member": None,
    }
    if principal.member_id:
        member = await directory.member(principal.member_id)
        if member:
            body["member"] = member_view(member)
    return body


class NewMember(InputModel):
    model_config = ConfigDict(extra="forbid")
    member_number: str = Field(min_length=1, max_length=32)
    national_number: str = Field(pattern=r"^\d{11}$", description="INSZ/NISS, 11 digits")
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: date
    language: Literal["nl", "fr", "de"]
    mutuality: str
    email: EmailStr | None = None
    mobile: str | None = Field(default=None, pattern=r"^\+?\d{8,15}$")
    address: AddressRow | None = None  # issue 18 item 3


@router.post(
    "/v1/members",
    status_code=201,
    responses=problem_responses(
        401, 403, 409, 422, 503, described={409: "The member number or national number exists."}
    ),
)
async def register_member(
    body: NewMember, principal: StaffPrincipal, directory: DirectoryUseCase
) -> dict[str, Any]:
    """Staff: add a member of a mutuality to the directory (emits ``member.registered``)."""
    fields = body.model_dump(exclude={"address"})
    address = body.address.to_address() if body.address else None
    member = await directory.register(MemberEntry(**fields, address=address))
    return member_view(member)


@router.get("/v1/members/{member_id}", responses=problem_responses(401, 403, 404, 503))
async def get_member(
    member_id: str, principal: CurrentPrincipal, directory: DirectoryUseCase, origin: CallerOrigin
) -> dict[str, Any]:
    """A member's directory entry: the member (or a titular acting for them), or staff."""
    ensure_member_access(principal, member_id)
    member = await directory.member(member_id)
    if member is None:
        raise Problem(404, "No such member.")
    await record_acting(directory.context, origin, "dossier.entry_read")  # LF-5
    return member_view(member)


def member_view(member: Member) -> dict[str, Any]:
    """The directory entry as shown; the national number and mobile are not."""
    entry = asdict(member.entry)
    shown = {k: v for k, v in entry.items() if k not in ("national_number", "mobile")}
    return {"member_id": member.member_id, **shown, "birth_date": member.birth_date.isoformat()}
