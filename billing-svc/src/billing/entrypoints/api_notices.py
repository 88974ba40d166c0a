"""Terms changes (EI-6) and maintenance windows (EI-7): issue 18 items 5 and 6.

``POST /v1/terms`` (staff) publishes a version of the e-invoicing conditions at least 15
Belgian working days ahead, ``GET /v1/terms`` (anyone) lists them; ``PUT /v1/maintenance`` (staff)
plans a window, ``GET /v1/maintenance`` (anyone, no token) shows the current or next one.
During a window ``member_gate`` (a dependency of every member route) answers 503.
"""

from datetime import date, datetime

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from billing.domain.maintenance import MaintenanceWindow, Reason
from billing.domain.terms import Summary, TermsVersion
from billing.entrypoints.deps import UseCases

router = APIRouter(tags=["terms and maintenance"])


class Localized(InputModel):
    model_config = ConfigDict(extra="forbid")
    nl: str = Field(min_length=1, max_length=2000)
    fr: str = Field(min_length=1, max_length=2000)


class TermsIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(min_length=1, max_length=32, examples=["2027.1"])
    effective_on: date = Field(description="At least 15 Belgian working days after today (EI-6).")
    summary: Localized = Field(description="What changes, in Dutch and French.")


class LocalizedOut(BaseModel):
    nl: str
    fr: str


class TermsOut(BaseModel):
    version: str
    effective_on: date
    published_on: date

    @classmethod
    def of(cls, version: TermsVersion) -> "TermsOut":
        return cls(
            version=version.version,
            effective_on=version.effective_on,
            published_on=version.published_on,
        )


class TermsListed(TermsOut):
    summary: LocalizedOut


class TermsList(BaseModel):
    items: list[TermsListed] = Field(description="Newest effective date first (EI-6).")


@router.post(
    "/v1/terms",
    status_code=201,
    response_model=TermsOut,
    responses=problem_responses(401, 403, 422, 503),
)
async def publish_terms(body: TermsIn, principal: StaffPrincipal, use_cases: UseCases) -> TermsOut:
    """Publish a new version of the e-invoicing conditions (EI-6). An effective date fewer
    than 15 Belgian working days after today is refused: 422 with
    ``earliest_effective_on`` and ``"rule": "EI-6"``. Every e-invoicing member is then
    told (``terms.changed``: an inbox letter and an e-mail), in paced batches. The same
    body again answers the stored version (idempotent)."""
    version = await use_cases.terms.publish(
        body.version, body.effective_on, Summary(body.summary.nl, body.summary.fr)
    )
    return TermsOut.of(version)


@router.get("/v1/terms", response_model=TermsList, responses=problem_responses(503))
async def list_terms(use_cases: UseCases) -> TermsList:
    """The versions of the e-invoicing conditions, announced ones first (EI-6); anyone,
    no token (the conditions are public, as the announcement of a window)."""
    return TermsList(
        items=[
            TermsListed(
                **TermsOut.of(v).model_dump(),
                summary=LocalizedOut(nl=v.summary.nl, fr=v.summary.fr),
            )
            for v in await use_cases.terms.listed()
        ]
    )


class MaintenanceIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    starts_at: AwareDatetime = Field(description="With its time zone; not in the past.")
    ends_at: AwareDatetime = Field(description="At most 4 hours after the start (EI-7).")
    reason: Localized


class MaintenanceOut(BaseModel):
    starts_at: datetime
    ends_at: datetime
    reason: LocalizedOut
    active: bool = Field(description="The window is in force now: member routes answer 503.")
    short_notice: bool = Field(description="Planned less than 3 days ahead (EI-7).")
    announce_at: datetime = Field(description="When e-invoicing members are told (inbox).")

    @classmethod
    def of(cls, window: MaintenanceWindow, now: datetime) -> "MaintenanceOut":
        return cls(
            starts_at=window.starts_at,
            ends_at=window.ends_at,
            reason=LocalizedOut(nl=window.reason.nl, fr=window.reason.fr),
            active=window.is_active(now),
            short_notice=window.short_notice,
            announce_at=window.announce_at,
        )


class MaintenanceNow(BaseModel):
    window: MaintenanceOut | None = Field(
        description="The window in force, else the next one planned, else null."
    )


@router.put(
    "/v1/maintenance",
    response_model=MaintenanceOut,
    responses=problem_responses(401, 403, 422, 503),
)
async def plan_maintenance(
    body: MaintenanceIn, principal: StaffPrincipal, use_cases: UseCases
) -> MaintenanceOut:
    """Plan a maintenance window of e-invoicing (EI-7): at most 4 hours, not overlapping
    another. E-invoicing members are told in their inbox (``maintenance.announced``) 3
    days ahead, or at once when it is sooner. The same body again is the same window."""
    window = await use_cases.maintenance.plan(
        body.starts_at, body.ends_at, Reason(body.reason.nl, body.reason.fr)
    )
    return MaintenanceOut.of(window, use_cases.maintenance.clock())


@router.get("/v1/maintenance", response_model=MaintenanceNow, responses=problem_responses(503))
async def current_maintenance(use_cases: UseCases) -> MaintenanceNow:
    """The maintenance window in force or the next one (EI-7); anyone, no token."""
    window = await use_cases.maintenance.current_or_next()
    now = use_cases.maintenance.clock()
    return MaintenanceNow(window=None if window is None else MaintenanceOut.of(window, now))
