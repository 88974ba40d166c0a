"""Amendments of a running contract after a declared change of the risk (PC-7).

Art. 8 "Spontane mededelingsplicht in de loop van het contract":

* Aggravation: "moeten wij binnen een termijn van 1 maand, te rekenen vanaf de dag waarop
  wij van de verzwaring kennis hebben gekregen, de wijziging van de overeenkomst voorstellen
  met terugwerkende kracht tot de dag van de verzwaring" — last day to propose:
  ``known_on`` + 1 month (inclusive, clamped: known 31 January -> 28/29 February); the new
  terms apply from ``occurred_on``. Later, "kunnen wij ons later niet meer beroepen op de
  verzwaring van het risico": a late proposal is refused.
* "Indien u het voorstel tot wijziging weigert, of indien u, bij het verstrijken van een
  termijn van een maand te rekenen vanaf de ontvangst van dit voorstel, dit laatste niet
  aanvaardt, kunnen wij de overeenkomst opzeggen binnen 15 dagen": last day to accept:
  ``received_on`` + 1 month; then the insurer's window (``termination.py``'s, ground
  ``aggravation``).
* Reduction: "een overeenkomstige vermindering van de premie toe te staan vanaf de dag
  waarop wij van de vermindering van het risico kennis hebben gekregen" (effective on
  ``known_on``, the day the request reached us); "Indien de contractanten het over de
  nieuwe premie niet eens worden binnen een maand na de aanvraag" the policyholder may
  terminate (ground ``risk_reduction``). The duty to reduce does not lapse, so a late
  agreement is still accepted.

Dates are calendar days, both ends inclusive, stepped with ``policy.domain.dates``.
Which step is next, and whether it is overdue, is computed for a given day, never stored.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from mylm_shared.kernel.domain import Aggregate

from policy.domain.adjustments import PremiumAdjustment
from policy.domain.dates import add_months
from policy.domain.fact_dates import EarlierDate
from policy.domain.insured import Formula
from policy.domain.product import Premium
from policy.domain.termination import (
    Party,
    Window,
    amendment_lapsed_window,
    amendment_refused_window,
    risk_reduction_window,
)

Kind = Literal["aggravation", "reduction"]
Status = Literal["declared", "proposed", "accepted", "refused", "closed"]
StepName = Literal[
    "propose",
    "accept_proposal",
    "agree_reduction",
    "insurer_may_terminate",
    "policyholder_may_terminate",
]
ReminderStep = Literal["accept_proposal", "agree_reduction"]

PROPOSE_MONTHS = 1  # PC-7 "binnen een termijn van 1 maand" (aggravation)
ACCEPT_MONTHS = 1  # PC-7 "een termijn van een maand te rekenen vanaf de ontvangst"
AGREE_MONTHS = 1  # PC-7 "binnen een maand na de aanvraag" (reduction)
REMIND_DAYS = 7  # a reminder goes out when a policyholder's deadline is this close


class AmendmentRefused(ValueError):
    """A rule refuses the change (422); ``rule`` names it."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.detail = detail


class WrongStep(Exception):
    """The change does not fit the amendment's status (409)."""


@dataclass(frozen=True)
class Proposal:
    proposed_on: date
    received_on: date  # by the policyholder: the month to accept runs from it
    formula: Formula
    premium: Premium


@dataclass(frozen=True)
class Reminder:
    step: ReminderStep
    deadline: date
    sent_on: date


@dataclass(frozen=True)
class NextStep:
    step: StepName
    by: Party
    deadline: date | None  # inclusive; None: open-ended
    overdue: bool


@dataclass(frozen=True)
class TerminationRight:
    """The termination the amendment opens if it is not accepted, with the facts the
    termination notice (``POST …/terminations``) must carry for its window."""

    by: Party
    ground: Literal["aggravation", "risk_reduction"]
    rule: str
    window: Window
    amendment_received_on: date | None = None
    amendment_refused_on: date | None = None
    reduction_requested_on: date | None = None


@dataclass(frozen=True)
class AmendmentReminded:
    amendment: "Amendment"
    reminder: Reminder


@dataclass
class Amendment(Aggregate):
    amendment_id: str
    policy_id: str
    member_id: str  # the policyholder
    kind: Kind
    formula: Formula  # the terms declared / asked
    occurred_on: date  # the day the risk changed
    known_on: date  # the day the insurer learned it (a reduction: the request)
    declared_on: date
    declared_by: str  # "policyholder" or "staff"
    status: Status = "declared"
    proposal: Proposal | None = None
    answered_on: date | None = None  # accepted or refused on
    closed_on: date | None = None
    close_reason: str = ""
    reminders: tuple[Reminder, ...] = ()
    history: tuple[EarlierDate, ...] = ()  # issue 15 item 4: staff's earlier known_on

    @property
    def aggregate_id(self) -> str:
        return self.amendment_id

    @classmethod
    def declare(
        cls,
        *,
        amendment_id: str,
        policy_id: str,
        member_id: str,
        kind: Kind,
        formula: Formula,
        occurred_on: date,
        known_on: date,
        declared_on: date,
        declared_by: str,
        history: tuple[EarlierDate, ...] = (),
    ) -> "Amendment":
        if occurred_on > known_on:
            raise AmendmentRefused(
                "PC-7", f"the change on {occurred_on} cannot be known before, on {known_on}"
            )
        return cls(
            amendment_id=amendment_id,
            policy_id=policy_id,
            member_id=member_id,
            kind=kind,
            formula=formula,
            occurred_on=occurred_on,
            known_on=known_on,
            declared_on=declared_on,
            declared_by=declared_by,
            history=history,
        )

    # -- deadlines (inclusive) ----------------------------------------------------------

    @property
    def propose_by(self) -> date | None:
        """Aggravation: last day the insurer may propose (known_on + 1 month)."""
        if self.kind != "aggravation":
            return None
        return add_months(self.known_on, PROPOSE_MONTHS)

    @property
    def accept_by(self) -> date | None:
        """Aggravation: last day the policyholder may accept (received_on + 1 month)."""
        if self.kind != "aggravation" or self.proposal is None:
            return None
        return add_months(self.proposal.received_on, ACCEPT_MONTHS)

    @property
    def agree_by(self) -> date | None:
        """Reduction: last day of the month to agree on the premium (request + 1 month)."""
        if self.kind != "reduction":
            return None
        return add_months(self.known_on, AGREE_MONTHS)

    @property
    def effective_on(self) -> date:
        """Aggravation: retroactive to the day of the aggravation; reduction: from the day
        the insurer knew of it."""
        return self.occurred_on if self.kind == "aggravation" else self.known_on

    # -- changes ------------------------------------------------------------------------

    def propose(self, proposed_on: date, received_on: date, premium: Premium) -> None:
        """Staff propose the new terms (the premium of the declared formula)."""
        if self.status != "declared":
            raise WrongStep(f"the amendment is {self.status}, not awaiting a proposal")
        if proposed_on < self.known_on:
            raise AmendmentRefused(
                "PC-7", f"proposed on {proposed_on}, before the change was known ({self.known_on})"
            )
        if received_on < proposed_on:
            raise AmendmentRefused(
                "PC-7", f"received on {received_on}, before it was proposed ({proposed_on})"
            )
        deadline = self.propose_by
        if deadline is not None and proposed_on > deadline:
            raise AmendmentRefused(
                "PC-7",
                f"the amendment had to be proposed by {deadline} (1 month from {self.known_on},"
                f" when the aggravation was known); proposed on {proposed_on} the insurer can "
                "no longer invoke the aggravation",
            )
        self.proposal = Proposal(proposed_on, received_on, self.formula, premium)
        self.status = "proposed"

    def accept(self, on: date) -> bool:
        """The policyholder accepts; False when it was accepted before (a retry)."""
        if self.status == "accepted":
            return False
        self._check_answerable(on)
        accept_by = self.accept_by
        if accept_by is not None and on > accept_by:
            window = amendment_lapsed_window(self._proposal().received_on)
            raise AmendmentRefused(
                "PC-7",
                f"the proposal had to be accepted by {accept_by} (1 month from its receipt); "
                f"the insurer may terminate from {window.opens_on} to {window.closes_on}",
            )
        self.status = "accepted"
        self.answered_on = on
        return True

    def refuse(self, on: date) -> None:
        self._check_answerable(on)
        self.status = "refused"
        self.answered_on = on

    def close(self, on: date, reason: str) -> None:
        """Staff close what needs nothing more (a forfeited aggravation, a window that
        passed, a termination recorded)."""
        if self.status in ("accepted", "closed"):
            raise WrongStep(f"the amendment is {self.status} already")
        self.status = "closed"
        self.closed_on = on
        self.close_reason = reason

    def _check_answerable(self, on: date) -> None:
        if self.status != "proposed":
            raise WrongStep(f"the amendment is {self.status}, not awaiting an answer")
        if on < self._proposal().received_on:
            raise AmendmentRefused("PC-7", f"answered on {on}, before the proposal was received")

    def _proposal(self) -> Proposal:
        assert self.proposal is not None
        return self.proposal

    # -- what is next on a day ----------------------------------------------------------

    def next_step(self, today: date) -> NextStep | None:
        """The step awaited on ``today`` (None when accepted or closed)."""
        if self.status in ("accepted", "closed"):
            return None
        if self.kind == "aggravation":
            return self._aggravation_step(today)
        agree_by = self.agree_by
        assert agree_by is not None
        if self.status == "declared":
            return _step("propose", "insurer", agree_by, today)
        if self.status == "proposed":
            return _step("agree_reduction", "policyholder", agree_by, today)
        return _step("policyholder_may_terminate", "policyholder", None, today)

    def _aggravation_step(self, today: date) -> NextStep:
        if self.status == "declared":
            assert self.propose_by is not None
            return _step("propose", "insurer", self.propose_by, today)
        accept_by = self.accept_by
        assert accept_by is not None
        if self.status == "proposed" and today <= accept_by:
            return _step("accept_proposal", "policyholder", accept_by, today)
        right = self.termination_right()
        assert right is not None
        return _step("insurer_may_terminate", "insurer", right.window.closes_on, today)

    def termination_right(self) -> TerminationRight | None:
        """The termination the amendment opens if it is not accepted: the insurer's 15
        days after a refusal or after the month to accept (aggravation), or the
        policyholder's right after the month to agree (reduction)."""
        if self.status in ("accepted", "closed"):
            return None
        if self.kind == "reduction":
            return TerminationRight(
                "policyholder",
                "risk_reduction",
                "PC-9",
                risk_reduction_window(self.known_on),
                reduction_requested_on=self.known_on,
            )
        if self.proposal is None:
            return None
        if self.status == "refused":
            assert self.answered_on is not None
            return TerminationRight(
                "insurer",
                "aggravation",
                "PC-10",
                amendment_refused_window(self.answered_on),
                amendment_received_on=self.proposal.received_on,
                amendment_refused_on=self.answered_on,
            )
        return TerminationRight(
            "insurer",
            "aggravation",
            "PC-10",
            amendment_lapsed_window(self.proposal.received_on),
            amendment_received_on=self.proposal.received_on,
        )

    # -- reminders ----------------------------------------------------------------------

    def pending_reminder(self) -> tuple[ReminderStep, date] | None:
        """The policyholder-side deadline a reminder is about, if not reminded yet."""
        if self.status != "proposed":
            return None
        step: ReminderStep = "accept_proposal" if self.kind == "aggravation" else "agree_reduction"
        deadline = self.accept_by if self.kind == "aggravation" else self.agree_by
        assert deadline is not None
        if any(r.step == step and r.deadline == deadline for r in self.reminders):
            return None
        return step, deadline

    def remind_from(self) -> date | None:
        """The first day a reminder is due (stored, so a scheduler finds it by date)."""
        pending = self.pending_reminder()
        return None if pending is None else pending[1] - timedelta(days=REMIND_DAYS)

    def remind(self, today: date) -> bool:
        """Once per (step, deadline): when that deadline is 0..7 days away."""
        pending = self.pending_reminder()
        if pending is None:
            return False
        step, deadline = pending
        if not today <= deadline <= today + timedelta(days=REMIND_DAYS):
            return False
        reminder = Reminder(step, deadline, today)
        self.reminders = (*self.reminders, reminder)
        self.raise_event(AmendmentReminded(self, reminder))
        return True


def _step(name: StepName, by: Party, deadline: date | None, today: date) -> NextStep:
    return NextStep(name, by, deadline, deadline is not None and today > deadline)


@dataclass(frozen=True)
class TermsChange:
    """An accepted amendment on the Policy: ``formula`` and ``premium`` from
    ``effective_on`` on, replacing the terms before it."""

    amendment_id: str
    kind: Kind
    effective_on: date
    formula: Formula
    premium: Premium
    replaced_formula: Formula
    replaced_premium: Premium
    # PC-8: the premium difference of the terms already requested, set by Policy.amend
    # (increases are requested through billing, credits left to staff: adjustments.py).
    adjustments: tuple[PremiumAdjustment, ...] = ()


def terms_on(
    day: date, formula: Formula, premium: Premium, changes: tuple[TermsChange, ...]
) -> tuple[Formula, Premium]:
    """The terms in force on ``day``: the change with the latest effective date on or
    before it (the later one of equal dates), else the terms before the first change;
    ``formula``/``premium`` are the current ones, used when there is no change."""
    if not changes:
        return formula, premium
    applied = [(c.effective_on, i, c) for i, c in enumerate(changes) if c.effective_on <= day]
    if not applied:
        return changes[0].replaced_formula, changes[0].replaced_premium
    found = max(applied, key=lambda t: (t[0], t[1]))[2]
    return found.formula, found.premium


def latest_terms(changes: tuple[TermsChange, ...]) -> tuple[Formula, Premium]:
    """The terms that end up in force (latest effective date, later one on ties)."""
    found = max(enumerate(changes), key=lambda t: (t[1].effective_on, t[0]))[1]
    return found.formula, found.premium
