"""The Policy aggregate: a proposal, its acceptance, the household facts it keeps and how
it ends (PC-1..PC-3, PC-5, PC-6, PC-9..PC-11).

The state on any date is computed from the stored facts (``state_on``), never stored: a
termination recorded today with an effective date next month is "terminated" only from
that date. ``active`` needs the first premium paid (PC-4); premiums, suspension and
termination for non-payment (PC-8) and renewal (PC-5) are in ``premiums.py``.

``state_of`` lists the covers and insured persons *running* on the day: empty before the
start date (PC-4: only accidents after the start count), while the first premium is
unpaid, during a suspension (PC-8) and once terminated; the status says why.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.domain import Aggregate

from policy.domain.adjustments import Schedule, premium_adjustments
from policy.domain.amendments import TermsChange, latest_terms, terms_on
from policy.domain.fact_dates import EarlierDate
from policy.domain.insured import (
    Formula,
    HouseholdPerson,
    InsuredAnswer,
    Policyholder,
    Relation,
    always,
    insured_on,
)
from policy.domain.premiums import (
    NoticeChannel,
    NoticeRefused,
    PaymentNotice,
    PolicyActivated,
    PolicyRenewed,
    PolicySuspended,
    PremiumAccount,
    Step,
    premium_due_on,
)
from policy.domain.product import Premium, covers, premium
from policy.domain.termination import Channel, ContractDates, Notice, Party, terminate
from policy.domain.terms import contract_ends_on

Lifecycle = Literal["proposed", "awaiting_first_premium", "active"]
Status = Literal["proposed", "awaiting_first_premium", "active", "suspended", "terminated"]


class PolicyRefused(ValueError):
    """A rule refuses the change; ``rule`` names it for the problem+json (422)."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.detail = detail


class WrongStatus(Exception):
    """The change does not fit the policy's status (409)."""


class ProposalChanged(WrongStatus):
    """The member accepted a proposal version that is no longer the current one (409):
    they must read the proposal again (PC-1: the special conditions they agree to)."""

    def __init__(self, shown: str, current: str) -> None:
        super().__init__(
            f"the proposal changed since it was shown (version {shown}, now {current}): "
            "read it again before accepting"
        )
        self.shown = shown
        self.current = current


@dataclass(frozen=True)
class Acceptance:
    """What the policyholder agreed to, when and who signed (issue 20 item 2): the
    proposal ``version`` they were shown (``Policy.proposal_version``)."""

    version: str
    at: datetime
    by: str  # the signing account (the policyholder, or a titular acting for them)


@dataclass(frozen=True)
class DeclaredPerson:
    """A partner or child as the policyholder (or staff) declared them."""

    person_id: str
    name: str
    birth_date: date
    relation: Relation
    lives_with_policyholder: bool
    married: bool = False
    studying: bool = False

    def as_household(self) -> HouseholdPerson:
        return HouseholdPerson(
            self.person_id,
            self.name,
            self.birth_date,
            self.relation,
            always(self.lives_with_policyholder),
            married=always(self.married),
            studying=always(self.studying),
        )


@dataclass(frozen=True)
class HouseholdRevision:
    """The household as declared, holding from ``since`` until the next revision."""

    since: date
    persons: tuple[DeclaredPerson, ...]


@dataclass(frozen=True)
class Ending:
    """How and from when (``effective_on``, 0:00) the contract no longer runs."""

    reason: str  # a termination ground, or "renewal_objection"
    by: Party
    rule: str
    notified_on: date
    channel: Channel
    effective_on: date


@dataclass(frozen=True)
class PolicyIssued:
    policy: "Policy"


@dataclass(frozen=True)
class PolicyAmended:
    policy: "Policy"
    change: TermsChange


@dataclass(frozen=True)
class PolicyTerminated:
    policy: "Policy"
    ending: Ending


@dataclass
class Policy(Aggregate):
    policy_id: str
    member_id: str  # the policyholder
    holder_name: str
    holder_birth_date: date | None
    formula: Formula
    threshold_pct: int
    e_protection: bool
    start_date: date
    proposed_on: date
    premium: Premium
    status: Lifecycle = "proposed"
    signed_on: date | None = None
    household: tuple[HouseholdRevision, ...] = ()
    ending: Ending | None = None
    request_fingerprint: str = ""
    terms_changes: tuple[TermsChange, ...] = ()  # PC-7 amendments accepted
    premiums: PremiumAccount = field(default_factory=PremiumAccount)  # PC-4, PC-5, PC-8
    # Issue 15 item 4: the dates staff recorded earlier than the day received, and why.
    history: tuple[EarlierDate, ...] = ()
    acceptance: Acceptance | None = None  # issue 20 item 2; None before it (or pre-record)

    @property
    def aggregate_id(self) -> str:
        return self.policy_id

    @property
    def covers(self) -> tuple[str, ...]:
        return covers(self.e_protection)

    @classmethod
    def propose(
        cls,
        *,
        policy_id: str,
        member_id: str,
        holder_name: str,
        holder_birth_date: date | None,
        formula: Formula,
        threshold_pct: int,
        e_protection: bool,
        start_date: date,
        proposed_on: date,
        request_fingerprint: str = "",
    ) -> "Policy":
        """PC-1 product choices (InvalidProduct on a threshold not offered); PC-2 for a
        single formula: the policyholder must be older than 18 (checked again at signing)."""
        policy = cls(
            policy_id=policy_id,
            member_id=member_id,
            holder_name=holder_name,
            holder_birth_date=holder_birth_date,
            formula=formula,
            threshold_pct=threshold_pct,
            e_protection=e_protection,
            start_date=start_date,
            proposed_on=proposed_on,
            premium=premium(formula, threshold_pct, e_protection),
            request_fingerprint=request_fingerprint,
        )
        policy._check_adult(proposed_on)
        return policy

    def _check_adult(self, signed_on: date) -> None:
        if self.formula != "single":
            return
        if self.holder_birth_date is None:
            raise PolicyRefused("PC-2", "the policyholder's birth date is unknown")
        answer = insured_on(signed_on, "single", signed_on, self._holder())[0]
        if not answer.insured:
            raise PolicyRefused("PC-2", answer.reason)

    @property
    def proposal_version(self) -> str:
        """A fingerprint of what the special conditions of the proposal state (PC-1 covers,
        formula and threshold, PC-4 start, PC-8/PC-12 premium, PC-2/PC-3 the insured on
        the start date): it changes when what the member would agree to changes, not when
        the policy is merely saved again."""
        p = self.premium
        insured = self.insured(self.start_date)
        facts = [
            self.policy_id,
            self.member_id,
            self.holder_name,
            self.formula,
            str(self.threshold_pct),
            ",".join(self.covers),
            self.start_date.isoformat(),
            f"{p.net}|{p.taxes}|{p.contributions}",
            *(f"{a.person_id}|{a.name}|{a.insured}|{a.rule}|{a.reason}" for a in insured),
        ]
        return hashlib.sha256("\n".join(facts).encode()).hexdigest()[:16]

    def accept(
        self,
        on: date,
        *,
        at: datetime | None = None,
        by: str | None = None,
        shown_version: str | None = None,
    ) -> None:
        """The policyholder signs: the contract is issued, cover waits for the first
        premium (PC-4). ``shown_version``: the proposal version the member read; another
        than the current one is refused (ProposalChanged, nothing changes); the version
        accepted, ``at`` and ``by`` are kept (issue 20 item 2)."""
        if self.status != "proposed":
            raise WrongStatus("only a proposal can be accepted")
        current = self.proposal_version
        if shown_version is not None and shown_version != current:
            raise ProposalChanged(shown_version, current)
        self._check_adult(on)
        self.status = "awaiting_first_premium"
        self.signed_on = on
        if at is not None:
            self.acceptance = Acceptance(current, at, by or self.member_id)
        self.raise_event(PolicyIssued(self))

    def record(self, *entries: EarlierDate | None) -> None:
        """Keep staff's earlier dates in the contract's history (issue 15 item 4)."""
        self.history = (*self.history, *(e for e in entries if e is not None))

    def declare_household(self, since: date, persons: tuple[DeclaredPerson, ...]) -> None:
        """PC-3 facts from ``since`` on; a revision replaces those from the same day on."""
        kept = tuple(r for r in self.household if r.since < since)
        self.household = (*kept, HouseholdRevision(since, persons))

    def insured(self, day: date) -> list[InsuredAnswer]:
        """PC-2/PC-3 on ``day``: the policyholder first, then the declared household."""
        signed_on = self.signed_on or self.proposed_on
        revision = self._revision_on(day)
        persons = [p.as_household() for p in revision.persons] if revision else []
        formula = self.terms_on(day)[0]  # PC-7: the formula in force on that day
        return insured_on(day, formula, signed_on, self._holder(), persons)

    def terms_on(self, day: date) -> tuple[Formula, Premium]:
        """Formula and yearly premium in force on ``day`` (PC-7 amendments included);
        ``formula``/``premium`` are the latest terms."""
        return terms_on(day, self.formula, self.premium, self.terms_changes)

    def amend(self, change: TermsChange) -> bool:
        """PC-7: accepted new terms from ``change.effective_on`` (retroactive to an
        aggravation); False when this amendment was applied before (a retry)."""
        if any(c.amendment_id == change.amendment_id for c in self.terms_changes):
            return False
        if self.status == "proposed":
            raise WrongStatus("the proposal was not accepted: there is no contract to amend")
        if self.ending is not None and change.effective_on >= self.ending.effective_on:
            raise WrongStatus(f"the contract ends on {self.ending.effective_on}, before the change")
        # PC-8: new special conditions request the difference of the terms requested so
        # far ("bij de uitgifte van nieuwe bijzondere voorwaarden", adjustments.py).
        before = self._premium_schedule(self.terms_changes)
        after = self._premium_schedule((*self.terms_changes, change))
        change = replace(
            change,
            adjustments=premium_adjustments(
                before,
                after,
                start=self.start_date,
                requested_through=self.premiums.renewed_through,
                ends_on=self.ends_on(),
            ),
        )
        self.terms_changes = (*self.terms_changes, change)
        self.formula, self.premium = latest_terms(self.terms_changes)
        self.raise_event(PolicyAmended(self, change))
        return True

    def _premium_schedule(self, changes: tuple[TermsChange, ...]) -> Schedule:
        """The yearly premium from each day a change takes effect (date.min: the first)."""
        days = sorted({date.min, *(c.effective_on for c in changes)})
        return [(d, terms_on(d, self.formula, self.premium, changes)[1]) for d in days]

    def _revision_on(self, day: date) -> HouseholdRevision | None:
        # Before the first declaration nobody but the policyholder was declared: a
        # household declared today does not insure anyone on an earlier day (issue 15
        # item 4). At signing, identity's household is declared from the start date.
        found = None
        for revision in self.household:
            if revision.since <= day:
                found = revision
        return found

    def _holder(self) -> Policyholder:
        # An unknown birth date only matters for PC-2 (refused at proposal).
        return Policyholder(self.member_id, self.holder_name, self.holder_birth_date or date.min)

    def object_to_renewal(self, by: Party, posted_on: date, channel: Channel) -> date:
        """PC-5: the contract ends at the coming expiry, or the one after if late."""
        self._check_running()
        ends_on = contract_ends_on(self.start_date, posted_on)
        self._end(Ending("renewal_objection", by, "PC-5", posted_on, channel, ends_on))
        return ends_on

    def terminate(self, notice: Notice) -> Ending:
        """PC-6, PC-9..PC-11 (TerminationRefused / OutsideWindow when not allowed)."""
        self._check_running()
        assert self.signed_on is not None
        done = terminate(ContractDates(self.signed_on, self.start_date), notice)
        ending = Ending(
            done.ground, done.by, done.rule, notice.notified_on, notice.channel, done.effective_on
        )
        self._end(ending)
        return ending

    def _check_running(self) -> None:
        if self.status == "proposed":
            raise WrongStatus("the proposal was not accepted: there is no contract to end")
        if self.ending is not None:
            raise WrongStatus(f"the contract already ends on {self.ending.effective_on}")

    def _end(self, ending: Ending) -> None:
        self.ending = ending
        self.raise_event(PolicyTerminated(self, ending))

    def pay_premium(self, term_number: int, paid_on: date) -> bool:
        """PC-4, PC-8: a term's premium is paid (value date); the first one activates the
        contract (``policy.activated``). A payment recorded before changes nothing: False."""
        if self.status == "proposed":
            raise WrongStatus("a proposal has no premium to pay")
        account = self.premiums.with_payment(term_number, paid_on)
        if account is None:
            return False
        self.premiums = account
        if term_number == 1 and self.status == "awaiting_first_premium":
            self.status = "active"
            self.raise_event(
                PolicyActivated(self.policy_id, self.member_id, self.start_date, paid_on)
            )
        return True

    def post_payment_notice(
        self,
        *,
        notice_id: str,
        term_number: int,
        posted_on: date,
        channel: NoticeChannel,
        announces_termination: bool,
        costs: Decimal,
    ) -> PaymentNotice:
        """PC-8: a formal notice for an unpaid premium that fell due (PolicyRefused PC-8
        otherwise); its dates are in ``premiums.py``. The events follow when they pass."""
        if self.status == "proposed":
            raise WrongStatus("the proposal was not accepted: no premium is due")
        ends_on = self.ends_on()
        if ends_on is not None and posted_on >= ends_on:
            raise WrongStatus(f"the contract ended on {ends_on}")
        if ends_on is not None and premium_due_on(self.start_date, term_number) >= ends_on:
            raise PolicyRefused("PC-8", f"the contract ends on {ends_on}, before that term")
        try:
            self.premiums, notice = self.premiums.with_notice(
                start=self.start_date,
                notice_id=notice_id,
                term_number=term_number,
                posted_on=posted_on,
                channel=channel,
                announces_termination=announces_termination,
                costs=costs,
            )
        except NoticeRefused as error:
            raise PolicyRefused("PC-8", str(error)) from None
        return notice

    @property
    def next_step(self) -> Step | None:
        """The next dated event to emit (renewal, suspension, termination for non-payment)."""
        recorded = self.ending.effective_on if self.ending else None
        return self.premiums.next_step(self.start_date, recorded)

    def advance(self, today: date) -> bool:
        """Emit, in date order, the dated events whose day has come (PC-5, PC-8); False
        when none was due (the caller then stores nothing)."""
        done = False
        while (step := self.next_step) is not None and step.on <= today:
            self._take(step)
            done = True
        return done

    def _take(self, step: Step) -> None:
        if step.kind == "renew":
            self.premiums, started = self.premiums.renewed(self.start_date)
            in_force = self.terms_on(started.starts_on)[1]  # PC-7 amendments, PC-12 as is
            self.raise_event(PolicyRenewed(self.policy_id, self.member_id, started, in_force))
            return
        notice = step.notice
        assert notice is not None
        if step.kind == "suspend":
            self.premiums = self.premiums.reported(notice)
            self.raise_event(
                PolicySuspended(self.policy_id, self.member_id, notice.posted_on, step.on)
            )
            return
        # The non_payment ground of termination.py, dated by the formal notice (PC-10).
        assert self.signed_on is not None
        done = terminate(
            ContractDates(self.signed_on, self.start_date),
            Notice(
                "insurer",
                "non_payment",
                notice.posted_on,
                notice.channel,
                formal_notice_effective_on=notice.terminates_on,
            ),
        )
        self._end(
            Ending(
                done.ground, done.by, done.rule, notice.posted_on, notice.channel, done.effective_on
            )
        )

    def ends_on(self) -> date | None:
        """First day the contract no longer runs: a recorded Ending or a termination for
        non-payment that no payment cancelled (recorded when its day comes)."""
        recorded = self.ending.effective_on if self.ending else None
        found = [d for d in (recorded, self.premiums.terminates_on()) if d is not None]
        return min(found, default=None)

    def state_on(self, day: date) -> Status:
        ends_on = self.ends_on()
        if ends_on is not None and day >= ends_on:
            return "terminated"
        if self.status == "active" and self.premiums.suspended_on(day):
            return "suspended"
        return self.status


@dataclass(frozen=True)
class PolicyState:
    status: Status
    covers: tuple[str, ...]
    insured: list[InsuredAnswer] = field(default_factory=list)


def state_of(policy: Policy, day: date) -> PolicyState:
    """What claims-svc asks about an event date: status, covers and who is insured."""
    status = policy.state_on(day)
    if status != "active" or day < policy.start_date:
        return PolicyState(status, ())  # no cover runs that day (see the module docstring)
    return PolicyState(status, policy.covers, [a for a in policy.insured(day) if a.insured])
