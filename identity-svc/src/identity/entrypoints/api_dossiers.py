"""Dossier access (AC-1..AC-6): the user's dossiers, the token exchange that opens a
dependant's (RFC 8693-style), and a dependant's own choice about their titular."""

from typing import Final, Literal

from fastapi import APIRouter, Response
from mylm_shared.auth import CurrentPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, ConfigDict

from identity.domain.dossiers import Basis, ClosedDossier, ClosedReason, DossierAccess
from identity.entrypoints.deps import CallerOrigin, DossiersUseCase

router = APIRouter(tags=["dossiers"])

ACCESS_TOKEN_TYPE: Final = "urn:ietf:params:oauth:token-type:access_token"  # noqa: S105 — a URN


class Dossier(BaseModel):
    """One dossier in the user's list: open (``basis`` AC-1, AC-2 or AC-5, ``reason``
    null) or a dependant's not open (``basis`` null, ``reason`` AC-3 or AC-4; issue 20
    item 2). A closed one says only whose it is and why."""

    member_id: str
    name: str
    relation: Literal["self", "dependant"]
    basis: Basis | None
    reason: ClosedReason | None = None

    @classmethod
    def of(cls, decided: DossierAccess | ClosedDossier) -> "Dossier":
        if isinstance(decided, ClosedDossier):
            return cls(
                member_id=decided.member.member_id,
                name=decided.member.name,
                relation="dependant",
                basis=None,
                reason=decided.reason,
            )
        return cls(
            member_id=decided.member.member_id,
            name=decided.member.name,
            relation=decided.relation,
            basis=decided.basis,
        )


class DossierList(BaseModel):
    items: list[Dossier]


class ExchangedTokenResponse(BaseModel):
    """RFC 8693 section 2.2.1."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105
    expires_in: int
    issued_token_type: Literal["urn:ietf:params:oauth:token-type:access_token"] = ACCESS_TOKEN_TYPE


class DossierAccessChange(InputModel):
    model_config = ConfigDict(extra="forbid")
    titular_may_access: bool


class DossierAccessState(BaseModel):
    titular_may_access: bool
    # The titular's access now: AC-2 (a minor's dossier), AC-5 (granted as an adult) or
    # null (revoked, AC-3; not granted, AC-4).
    basis_now: Basis | None


@router.get(
    "/v1/me/dossiers",
    response_model=DossierList,
    responses=problem_responses(
        401, 403, 503, described={403: "Staff, or a token exchanged for a dependant."}
    ),
)
async def my_dossiers(principal: CurrentPrincipal, dossiers: DossiersUseCase) -> DossierList:
    """The user's dossiers, evaluated now (AC-6): their own (AC-1), then each dependant of
    their household, oldest first: open to them (``basis`` AC-2 under 18, AC-5 granted as
    an adult) or not (``basis`` null, ``reason`` AC-3 revoked by the minor, AC-4 of age
    without a grant). A closed one cannot be exchanged for a token."""
    listed = await dossiers.listed(principal)
    return DossierList(items=[Dossier.of(access) for access in listed])


@router.post(
    "/v1/me/dossiers/{member_id}/token",
    response_model=ExchangedTokenResponse,
    responses=problem_responses(
        401,
        403,
        503,
        described={
            403: "No access to this dossier now (or no such member), the user's own "
            "dossier, an inactive account, staff, or an exchanged token."
        },
    ),
)
async def exchange_token(
    member_id: str,
    principal: CurrentPrincipal,
    dossiers: DossiersUseCase,
    origin: CallerOrigin,
    response: Response,
) -> ExchangedTokenResponse:
    """Token exchange (RFC 8693): an access token whose subject is the dependant's
    dossier and whose ``act`` names the user. An AC-2 token carries ``access_until`` (the
    18th birthday) which every service checks at each request (AC-6)."""
    exchanged = await dossiers.exchange(principal, member_id, origin)
    response.headers["Cache-Control"] = "no-store"
    return ExchangedTokenResponse(
        access_token=exchanged.access_token, expires_in=exchanged.expires_in
    )


@router.put(
    "/v1/me/dossier-access",
    response_model=DossierAccessState,
    responses=problem_responses(
        401,
        403,
        409,
        422,
        503,
        described={
            403: "Staff, an inactive account, or a token exchanged for a dependant.",
            409: "The member has no titular.",
        },
    ),
)
async def set_dossier_access(
    body: DossierAccessChange,
    principal: CurrentPrincipal,
    dossiers: DossiersUseCase,
    origin: CallerOrigin,
) -> DossierAccessState:
    """A dependant's own account: under 18, revoke (false) or restore (true) the
    titular's access (AC-3); from 18, grant (true) or withdraw (false) it (AC-5). Emits
    ``access.changed``."""
    outcome = await dossiers.set_titular_access(principal, body.titular_may_access, origin)
    basis = outcome.basis_now.basis if outcome.basis_now else None
    return DossierAccessState(titular_may_access=outcome.choice.titular_may_access, basis_now=basis)
