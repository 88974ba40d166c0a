"""FastAPI dependencies of notify-svc's routes: the use cases ``bootstrap`` wired, typed
(docs/architecture.md "Wiring"), and who may read or change a member's notifications.

Issue 19 items 4 and 6 (AC-1..AC-5): the member, a titular acting for them (the token
exchanged at identity-svc, with ``act``) and staff read a member's switches and log;
only the member or the titular acting for them change the switches or the address
(staff read only: a member's choice about their own mail is theirs). Checked before the
body is read, so a refused caller learns nothing from the body's validation.
"""

from typing import Annotated

from fastapi import Depends
from mylm_shared.auth import DossierPrincipal, Principal
from mylm_shared.problems import forbidden
from mylm_shared.service import use_cases

from notify.service.deliveries import DeliveryService
from notify.service.member_settings import MemberSettingsService
from notify.service.use_cases import NotifyUseCases

UseCases = Annotated[NotifyUseCases, use_cases(NotifyUseCases)]


def _members(use_cases: UseCases) -> MemberSettingsService:
    return use_cases.members


def _deliveries(use_cases: UseCases) -> DeliveryService:
    return use_cases.deliveries


Members = Annotated[MemberSettingsService, Depends(_members)]
Deliveries = Annotated[DeliveryService, Depends(_deliveries)]


async def member_writer(principal: DossierPrincipal) -> Principal:
    """The member or a titular acting for them (AC-1..AC-5); staff read only."""
    if principal.is_staff:
        raise forbidden("Staff may read a member's notification settings, not change them.")
    return principal


# The member, a titular acting for them, or staff (AC-1..AC-5).
Reader = DossierPrincipal
Writer = Annotated[Principal, Depends(member_writer)]
