"""rule EI-7: during a maintenance window billing's member routes answer 503
problem+json with ``Retry-After`` (seconds until the window ends) and the notice; staff
(and service) callers keep working; ``/healthz``, ``/readyz``, ``/metrics`` and the
terms and maintenance routes are not gated, and consumers keep consuming (only member
HTTP is refused, so nothing in flight is lost).

``member_gate`` is a router dependency (``gated``): outside a window it costs one look
at ``MaintenanceService.active`` (a short cache, not a Mongo read per request) and adds
nothing to the OpenAPI document; the token is verified only while a window is active.
"""

from fastapi import APIRouter, Depends, Request
from mylm_shared.auth import Principal, TokenVerifier
from mylm_shared.texts.languages import BILINGUAL, language_of

from billing.domain.maintenance import MaintenanceWindow
from billing.entrypoints.deps import UseCases


class MaintenanceUnderway(Exception):
    """A member request during a maintenance window (EI-7)."""

    def __init__(self, window: MaintenanceWindow, retry_after: int, language: str | None):
        super().__init__("e-invoicing is under maintenance")
        self.window = window
        self.retry_after = retry_after
        self.language = language

    @property
    def notice(self) -> dict[str, str]:
        """The reason in the member's language when known (de reads fr), else nl and fr."""
        reasons = {"nl": self.window.reason.nl, "fr": self.window.reason.fr}
        if self.language is None:
            return reasons
        written = BILINGUAL[language_of(self.language)]
        return {written: reasons[written]}


async def _caller(request: Request) -> Principal | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    verifier: TokenVerifier = request.app.state.runtime.token_verifier
    try:
        return await verifier.verify(token.strip())
    except Exception:  # an invalid token is refused by the route itself after the window
        return None


async def member_gate(request: Request, use_cases: UseCases) -> None:
    active = await use_cases.maintenance.active()
    if active is None:
        return
    principal = await _caller(request)
    if principal is not None and (principal.is_staff or principal.is_service):
        return  # staff routes keep working (EI-7)
    language = None
    if principal is not None and principal.member_id is not None:
        card = await use_cases.downloads.members.card(principal.member_id)
        language = card.language if card is not None else None
    window, seconds = active
    raise MaintenanceUnderway(window, seconds, language)


def gated(*routers: APIRouter) -> APIRouter:
    """``routers`` behind ``member_gate`` (their paths and OpenAPI unchanged)."""
    outer = APIRouter(dependencies=[Depends(member_gate)])
    for router in routers:
        outer.include_router(router)
    return outer
