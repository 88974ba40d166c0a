"""identity-svc HTTP API: sessions, the caller's profile, JWKS, the member directory."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal
from uuid import uuid4

from fastapi import APIRouter
from mylm_shared.auth import CurrentPrincipal, StaffPrincipal, ensure_member_access
from mylm_shared.problems import Problem, problem_responses, unauthorized
from mylm_shared.service import use_case
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from identity.adapters.repository import MemberExists
from identity.domain.members import InvalidMember, Member
from identity.service.handlers import IdentityService, InvalidCredentials, TokenPair

router = APIRouter()


Identity = Annotated[IdentityService, use_case("identity", IdentityService)]


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


_BAD_CREDENTIALS = "Unknown username or wrong password."


@router.post(
    "/v1/sessions",
    tags=["sessions"],
    responses=problem_responses(401, 503, described={401: _BAD_CREDENTIALS}),
)
async def log_in(body: Credentials, identity: Identity) -> TokenResponse:
    """Log in with username and password; the same 401 for unknown user and wrong password."""
    try:
        return TokenResponse.of(await identity.log_in(body.username, body.password))
    except InvalidCredentials:
        raise unauthorized(_BAD_CREDENTIALS) from None


@router.post("/v1/sessions/refresh", tags=["sessions"], responses=problem_responses(401, 503))
async def refresh(body: RefreshRequest, identity: Identity) -> TokenResponse:
    """Trade a refresh token (once) for a new token pair."""
    try:
        return TokenResponse.of(await identity.refresh(body.refresh_token))
    except InvalidCredentials:
        raise unauthorized("The refresh token is invalid, used or expired.") from None


@router.post(
    "/v1/sessions/revoke", status_code=204, tags=["sessions"], responses=problem_responses(503)
)
async def revoke(body: RefreshRequest, identity: Identity) -> None:
    """Log out: the refresh token and every token rotated from it stop working."""
    await identity.refresh_tokens.revoke(body.refresh_token)


@router.get("/.well-known/jwks.json", tags=["sessions"])
async def jwks(identity: Identity) -> dict[str, Any]:
    """The public keys that verify access tokens."""
    return identity.signing_key.jwks()


@router.get("/v1/me", tags=["members"], responses=problem_responses(401, 503))
async def me(principal: CurrentPrincipal, identity: Identity) -> dict[str, Any]:
    """The caller: account, member id (null for staff), roles, and their member summary."""
    body: dict[str, Any] = {
        "account_id": principal.subject,
        "member_id": principal.member_id,
        "roles": sorted(principal.roles),
        "member": None,
    }
    if principal.member_id:
        member = await identity.member(principal.member_id)
        if member:
            body["member"] = _member_view(member)
    return body


class NewMember(BaseModel):
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


@router.post(
    "/v1/members",
    status_code=201,
    tags=["members"],
    responses=problem_responses(
        401, 403, 409, 422, 503, described={409: "The member number or national number exists."}
    ),
)
async def register_member(
    body: NewMember, principal: StaffPrincipal, identity: Identity
) -> dict[str, Any]:
    """Staff: add a member of a mutuality to the directory (emits ``member.registered``)."""
    try:
        member = Member(member_id=str(uuid4()), **body.model_dump())
    except InvalidMember as error:
        raise Problem(422, str(error)) from None
    try:
        await identity.register_member(member)
    except MemberExists:
        raise Problem(409, "A member with this member number or national number exists.") from None
    return _member_view(member)


@router.get(
    "/v1/members/{member_id}", tags=["members"], responses=problem_responses(401, 403, 404, 503)
)
async def get_member(
    member_id: str, principal: CurrentPrincipal, identity: Identity
) -> dict[str, Any]:
    """A member's directory entry: the member themselves, or staff."""
    ensure_member_access(principal, member_id)
    member = await identity.member(member_id)
    if member is None:
        raise Problem(404, "No such member.")
    return _member_view(member)


def _member_view(member: Member) -> dict[str, Any]:
    """The directory entry as shown; the national number and mobile are not."""
    view = {k: v for k, v in asdict(member).items() if k not in ("national_number", "mobile")}
    return {**view, "birth_date": member.birth_date.isoformat()}
