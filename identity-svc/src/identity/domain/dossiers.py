"""Which dossiers a user may open (AC-1..AC-6), evaluated at the moment of access."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Literal

from mylm_shared.kernel.periods import BRUSSELS

from identity.domain.accounts import Account
from identity.domain.members import Member, eighteenth_birthday, is_minor_on

Basis = Literal["AC-1", "AC-2", "AC-5"]
# Why a dependant's dossier is not open to the titular (issue 20 item 2): AC-3 revoked by
# the minor; AC-4 of age without an adult's grant (never given, withdrawn, or only a
# minor's restore, AC-5).
ClosedReason = Literal["AC-3", "AC-4"]


@dataclass(frozen=True)
class DossierAccess:
    member: Member
    relation: Literal["self", "dependant"]
    basis: Basis
    until: datetime | None  # AC-6: when an AC-2 access ends by itself (the 18th birthday)


@dataclass(frozen=True)
class ClosedDossier:
    """A dependant's dossier the titular may not open now, and the rule that closes it.
    Only the dependant and the reason: nothing to open it with."""

    member: Member
    reason: ClosedReason


def start_of(day: date) -> datetime:
    """Midnight in Brussels on ``day``, in UTC."""
    return datetime.combine(day, time(), BRUSSELS).astimezone(UTC)


def titular_decision(
    dependant: Member, dependant_account: Account | None, today: date
) -> DossierAccess | ClosedDossier:
    """The titular's access to one dependant's dossier today, or why there is none. The
    one rule behind both the list of dossiers and the token exchange (issue 20 item 2).

    - AC-2: a dependant under 18 → access, until the 18th birthday (AC-6) …
    - AC-3: … unless that dependant, registered personally, revoked it (and not restored);
    - AC-4: a dependant of 18 or more → no access …
    - AC-5: … unless, registered personally, they explicitly granted it as an adult.
    """
    choice = dependant_account.titular_access if dependant_account else None
    if is_minor_on(dependant.birth_date, today):
        if choice is not None and not choice.titular_may_access:
            return ClosedDossier(dependant, "AC-3")
        until = start_of(eighteenth_birthday(dependant.birth_date))
        return DossierAccess(dependant, "dependant", "AC-2", until)
    if choice is not None and choice.titular_may_access and choice.set_as_adult:
        return DossierAccess(dependant, "dependant", "AC-5", None)
    return ClosedDossier(dependant, "AC-4")


def titular_access(
    dependant: Member, dependant_account: Account | None, today: date
) -> DossierAccess | None:
    """The titular's access to one dependant's dossier today, or None
    (``titular_decision`` without the reason)."""
    decision = titular_decision(dependant, dependant_account, today)
    return decision if isinstance(decision, DossierAccess) else None
