"""The contract facts the cover engine needs (PC-1, PC-4, LA-1, LA-2, LA-3).

Matches the ``policy`` object of ``POST /v1/cover-check``. Date conventions are
policy-svc's (``policy.domain.terms``): the contract runs from ``start_date`` (inclusive)
to ``end_date`` (exclusive: it no longer runs from 0:00 that day); ``end_date`` None = the
contract still runs (tacit renewal).

Insurance year (Woordenlijst "Verzekeringsjaar"): "de periode begrepen tussen de
aanvangsdatum van het contract en de eerste hoofdvervaldag; twee hoofdvervaldagen; de
laatste hoofdvervaldag en de datum van verbreking van het contract". Annual due dates are
the anniversaries of ``start_date`` stepped from the start (29 February -> 28 February).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from claims.domain.dates import add_years
from claims.domain.facts import AssistanceService, Cover

Formula = Literal["single", "family"]


@dataclass(frozen=True)
class GrantedService:
    """An assistance service an earlier claim was granted, and how much of it (AS-2)."""

    service: AssistanceService
    quantity: Decimal = Decimal(1)
    amount: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class PriorClaim:
    """Another claim on the same contract (issue 16).

    * LA-1: an e-protection claim counts as the insurance year's one claim unless it was
      rejected or withdrawn (``counts`` False).
    * AS-2/AS-3 "per gedekt ongeval": an assistance claim for the same accident (same
      ``event_date``) of the same insured person (``same_insured``) uses what it was
      ``granted`` — nothing when rejected or withdrawn (the caller passes no grants then).
    """

    cover: Cover
    event_date: date
    counts: bool = True  # not rejected, not withdrawn
    same_insured: bool = True  # the same insured person as the claim being decided
    granted: tuple[GrantedService, ...] = ()  # assistance services granted (AS-2, AS-3)


@dataclass(frozen=True)
class Contract:
    formula: Formula
    start_date: date  # date in the special conditions (PC-4)
    end_date: date | None  # exclusive; None while the contract runs
    first_premium_paid: bool  # PC-4 "Voor zover dat de eerste premie werd betaald"
    threshold_pct: int  # "tegemoetkomingsgrens" (PA-1)
    e_protection: bool  # optional cover subscribed (PC-1, LA-1)
    prior_claims: tuple[PriorClaim, ...] = ()  # other claims, never the one being decided
    # PC-8: cover suspended on the event date after a formal notice (policy-svc's state).
    suspended: bool = False

    def runs_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day < self.end_date)

    def insurance_year(self, day: date) -> tuple[date, date]:
        """The insurance year holding ``day``: (first day, next annual due date exclusive)."""
        return insurance_year(self.start_date, day)


def insurance_year(start_date: date, day: date) -> tuple[date, date]:
    """The insurance year of a contract started on ``start_date`` holding ``day``."""
    years = max(0, day.year - start_date.year - 1)
    while add_years(start_date, years + 1) <= day:
        years += 1
    return add_years(start_date, years), add_years(start_date, years + 1)
