"""Settling accepted claims: staff offers within the ceilings and the insurance year's
maximum (PA-5, LA-6, LA-8, LA-11), the member's acceptance with their IBAN (one payout
instruction, recorded once however often it is retried), payouts recorded paid, the
consolidation report (PA-8), closing and withdrawing, and the staff worklist of deadlines.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import cast
from uuid import uuid4

from mylm_shared.aggregates import AggregateStore, change
from mylm_shared.kernel.periods import belgian_date

from claims.domain.claim import AlreadyDone, Claim, CloseReason, Deadline
from claims.domain.contract import insurance_year
from claims.domain.eprotection import GROUP_II
from claims.domain.facts import EPROTECTION_COVERS, EProtectionCover
from claims.domain.offers import OfferKind, Payout, payout_id_for, valid_iban
from claims.service.handlers import UnknownClaim, UnknownPolicy
from claims.service.policies import PolicyGateway

FAR = "9999-12-31"  # every stored deadline is before this


class UnknownOffer(Exception):
    pass


class UnknownPayout(Exception):
    pass


class FreshLoginRequired(Exception):
    """Setting or changing a claim's payout account needs a recent login (issue 15
    item 7): a token held for longer, or lent to a device, cannot redirect the money.
    ``max_age``: how recent, in seconds."""

    def __init__(self, fresh_login: timedelta) -> None:
        self.max_age = int(fresh_login.total_seconds())
        super().__init__(f"a login of less than {self.max_age} seconds ago is required")


@dataclass(frozen=True)
class WorkItem:
    claim: Claim
    deadline: Deadline
    overdue: bool


def _now() -> datetime:
    return datetime.now(UTC)


def yearly_rule(claim: Claim) -> str:
    """The rule that sets the e-protection maximum "per verzekeringsjaar" for the cover."""
    if claim.cover in ("identity_theft", "payment_fraud"):
        return "LA-6"
    if claim.cover == "e_merchant_goods":
        return "LA-8"
    return "LA-11"


def paid_in_year(claims: list[Claim], claim: Claim, first: date, until: date) -> Decimal:
    """What the policy's other e-protection claims with their event in the same
    insurance year were paid (LA-11: the maxima are "per verzekeringsjaar")."""
    return sum(
        (
            other.paid
            for other in claims
            if other.claim_id != claim.claim_id
            and other.cover in EPROTECTION_COVERS
            and first <= other.event_date < until
        ),
        Decimal("0.00"),
    )


@dataclass
class SettlementService:
    claims: AggregateStore[Claim]
    policies: PolicyGateway
    now: Callable[[], datetime] = _now
    # Issue 15 item 7: how recent a login sets or changes a payout account.
    fresh_login: timedelta = timedelta(minutes=5)

    def login_fresh(self, auth_time: datetime | None) -> bool:
        """The caller logged in at most ``fresh_login`` ago (a token without
        ``auth_time`` never is; a login "in the future" only by clock skew)."""
        if auth_time is None:
            return False
        return auth_time - timedelta(seconds=30) <= self.now() <= auth_time + self.fresh_login

    def today(self) -> date:
        return belgian_date(self.now())

    async def _get(self, claim_id: str) -> Claim:
        found = await self.claims.get(claim_id)
        if found is None:
            raise UnknownClaim(claim_id)
        return found

    async def _yearly_available(self, claim: Claim) -> tuple[Decimal, str] | None:
        """For e-protection: the claim's ceiling (per claim and per insurance year) less
        what the policy's other claims of the insurance year were paid; None where there
        is no such maximum."""
        # An override of a rejection has no engine ceiling: the cover's yearly maximum.
        yearly = claim.engine.ceiling or GROUP_II.get(cast(EProtectionCover, claim.cover))
        if claim.cover not in EPROTECTION_COVERS or yearly is None:
            return None
        policy = await self.policies.policy(claim.policy_id)
        if policy is None:
            raise UnknownPolicy(claim.policy_id)
        first, until = insurance_year(policy.start_date, claim.event_date)
        others = await self.claims.current("policy_id", claim.policy_id)
        left = yearly - paid_in_year(others, claim, first, until)
        return max(left, Decimal("0.00")), yearly_rule(claim)

    async def make_offer(
        self, claim_id: str, kind: OfferKind, amount: Decimal, respond_by: date | None, by: str
    ) -> Claim:
        yearly = await self._yearly_available(await self._get(claim_id))
        offer_id = str(uuid4())
        at = self.now()

        def apply(c: Claim) -> None:
            c.make_offer(
                offer_id=offer_id,
                kind=kind,
                amount=amount,
                respond_by=respond_by,
                at=at,
                by=by,
                yearly_available=yearly,
            )

        return await self._change(claim_id, apply)

    async def accept_offer(
        self,
        claim_id: str,
        offer_id: str,
        iban: str,
        by: str,
        *,
        acted_by: str | None = None,
        auth_time: datetime | None,
    ) -> tuple[Claim, Payout, bool]:
        """The claim, the offer's payout and whether this call recorded it. A retry (the
        same offer, the same IBAN) answers the same payout and records nothing. An IBAN
        other than the claim's payout account so far needs a fresh login (``auth_time``,
        issue 15 item 7); ``acted_by``: the titular acting for the claimant."""
        compact = valid_iban(iban)
        login_fresh = self.login_fresh(auth_time)
        accepted_on = self.today()
        at = self.now()
        claim = await self._get(claim_id)
        if claim.offer(offer_id) is None:
            raise UnknownOffer(offer_id)

        def accept(c: Claim) -> None:
            offer = c.offer(offer_id)
            retry = offer is not None and offer.status == "accepted"
            if not retry and not login_fresh and c.payout_account != compact:
                raise FreshLoginRequired(self.fresh_login)
            c.accept_offer(offer_id, compact, accepted_on, by, at=at, acted_by=acted_by)

        try:
            claim = await self._change(claim_id, accept)
            created = True
        except AlreadyDone:
            claim, created = await self._get(claim_id), False
        payout = claim.payout(payout_id_for(offer_id))
        assert payout is not None
        return claim, payout, created

    async def change_payout_account(
        self,
        claim_id: str,
        payout_id: str,
        iban: str,
        by: str,
        *,
        acted_by: str | None = None,
        auth_time: datetime | None,
    ) -> tuple[Claim, bool]:
        """Issue 15 item 7: the claimant sends a payout not yet paid to another account,
        after a fresh login; ``claim.payout_account_changed`` tells them by e-mail. The
        same account again changes nothing (False)."""
        compact = valid_iban(iban)
        at = self.now()
        claim = await self._get(claim_id)
        payout = claim.payout(payout_id)
        if payout is None:
            raise UnknownPayout(payout_id)
        if payout.iban == compact:
            return claim, False
        if not self.login_fresh(auth_time):
            raise FreshLoginRequired(self.fresh_login)
        try:
            claim = await self._change(
                claim_id,
                lambda c: c.change_payout_account(payout_id, compact, at, by, acted_by),
            )
        except AlreadyDone:
            return await self._get(claim_id), False
        return claim, True

    async def record_paid(self, claim_id: str, payout_id: str, paid_on: date, by: str) -> Claim:
        at = self.now()
        if paid_on > self.today():
            raise ValueError("paid_on is in the future: record a payment the bank executed")
        claim = await self._get(claim_id)
        if claim.payout(payout_id) is None:
            raise UnknownPayout(payout_id)
        try:
            return await self._change(claim_id, lambda c: c.record_paid(payout_id, paid_on, at, by))
        except AlreadyDone:
            return await self._get(claim_id)

    async def record_consolidation(
        self, claim_id: str, report_received_on: date, expected_pct: Decimal | None, by: str
    ) -> Claim:
        at = self.now()
        return await self._change(
            claim_id, lambda c: c.record_consolidation(report_received_on, expected_pct, at, by)
        )

    async def record_medical_assessment(
        self, claim_id: str, assessed_on: date, expected_pct: Decimal, by: str
    ) -> Claim:
        at = self.now()
        return await self._change(
            claim_id, lambda c: c.record_medical_assessment(assessed_on, expected_pct, at, by)
        )

    async def close(
        self, claim_id: str, reason: CloseReason, by: str, acted_by: str | None = None
    ) -> Claim:
        """``acted_by``: the titular withdrawing for the claimant (issue 15 item 7)."""
        at, on = self.now(), self.today()
        return await self._change(claim_id, lambda c: c.close(reason, on, at, by, acted_by))

    async def worklist(self, *, limit: int, offset: int) -> list[WorkItem]:
        """Open claims by their nearest deadline, overdue first (the soonest day first).
        Candidates are read by ``next_deadline_on`` (stored at every change); the
        newest version decides."""
        today = self.today()
        items = [
            WorkItem(c, d, d.due_on < today)
            for c in await self.claims.due("next_deadline_on", FAR)
            if (d := c.next_deadline()) is not None
        ]
        items.sort(key=lambda w: (w.deadline.due_on, w.claim.declared_on, w.claim.claim_number))
        return items[offset : offset + limit]

    async def _change(self, claim_id: str, apply: Callable[[Claim], object]) -> Claim:
        def run(claim: Claim) -> None:
            apply(claim)

        changed = await change(self.claims, claim_id, run)
        if changed is None:
            raise UnknownClaim(claim_id)
        return changed
