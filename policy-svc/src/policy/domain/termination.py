"""Terminating a contract: who may, within which window, and from when (PC-6, PC-9..PC-11).

Grounds (art. 10 "Einde van het contract", table "U kunt het contract opzeggen" / "Wij
kunnen het contract opzeggen"):

=================  ====================  =================================================
ground             party (rule)          window for the notice (both ends inclusive)
=================  ====================  =================================================
after_claim        both (PC-9, PC-10)    "uiterlijk 1 maand na betaling of weigering tot
                                         betaling van de vergoeding": settlement .. +1 month
conditions_change  policyholder (PC-9)   "binnen 30 dagen na toezending van ons bericht van
                                         wijziging": notice .. +30 days
tariff_change      policyholder (PC-9)   "binnen 3 maanden na de kennisgeving van
                                         tariefverandering": notice .. +3 months
risk_reduction     policyholder (PC-9)   no premium agreement "binnen 1 maand na uw
                                         aanvraag": from the day after that month, open
late_start         policyholder (PC-9)   > 1 year between signing and start; "uiterlijk 3
                                         maanden vóór de aanvangsdatum": signing .. start-3m
cover_terminated   both (PC-9, PC-10)    after the other party terminated a cover: open
aggravation        insurer (PC-10/PC-7)  "binnen 15 dagen" after refusal / after the month
                                         to accept the amendment lapsed; or "binnen 1 maand"
                                         from knowing, if never insurable
non_payment        insurer (PC-10/PC-8)  the dates in the formal notice (law: >= 15 days)
legal_change       insurer (PC-10)       from the change in the law: open
emigration         both (PC-6)           none: the contract ends by law on departure
interest_lost      both (PC-6)           none: the contract ends by law when the insured
                                         interest disappears (issue 16)
=================  ====================  =================================================

Effect (PC-11, "Uitwerking van de opzegging"): "na het verstrijken van 1 maand te rekenen
van de dag volgend op de afgifte ter post van de aangetekende brief / de betekening van het
deurwaardersexploot / de datum van het ontvangstbewijs". The three channels differ only in
which date ``notified_on`` is (posting, service, receipt); the computation is the same and
in calendar days, so a letter posted on a Friday counts from the Saturday. The returned
``effective_on`` is the day from which (0:00) the contract no longer runs.

* conditions/tariff change: "ten vroegste op de jaarlijkse vervaldag waarop de wijziging in
  werking had kunnen treden".
* after a claim (either party): "na afloop van een termijn van 3 maanden te rekenen vanaf de
  kennisgeving", counted like the general rule from the day after; "1 maand na de dag van de
  betekening" when the insurer terminates because of fraud and filed a criminal complaint.
* emigration (art. 6): "Het contract loopt af van rechtswege op de datum van zijn vertrek".
* interest lost (art. 10 "Afloop van het contract van rechtswege"): "Het contract beëindigt
  van rechtswege bij verdwijning van het verzekerde belang of van het voorwerp van de
  verzekering" (PC-6's second ground, issue 16). The text gives no hour: read in the
  insured's favour, the contract still runs on the day the interest disappears (a fatal
  accident that day is covered) and no longer from the day after (docs/rules.md PC-6).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from policy.domain.dates import add_months, day_after
from policy.domain.terms import next_due_date

Party = Literal["policyholder", "insurer"]
Channel = Literal["registered_letter", "bailiff", "letter_against_receipt"]
Ground = Literal[
    "after_claim",
    "conditions_change",
    "tariff_change",
    "risk_reduction",
    "late_start",
    "cover_terminated",
    "aggravation",
    "non_payment",
    "legal_change",
    "emigration",
    "interest_lost",
]
GROUNDS: tuple[Ground, ...] = get_args(Ground)
CHANNELS: tuple[Channel, ...] = get_args(Channel)

NOTICE_MONTHS = 1  # PC-11: "na het verstrijken van 1 maand"
AFTER_CLAIM_MONTHS = 3  # PC-11: "een termijn van 3 maanden"
AFTER_CLAIM_FRAUD_MONTHS = 1  # PC-11: "1 maand na de dag van de betekening"
CONDITIONS_CHANGE_DAYS = 30  # PC-9
TARIFF_CHANGE_MONTHS = 3  # PC-9
CLAIM_WINDOW_MONTHS = 1  # PC-9, PC-10
REDUCTION_AGREEMENT_MONTHS = 1  # PC-7, PC-9
LATE_START_MONTHS = 3  # PC-9
AMENDMENT_ACCEPT_MONTHS = 1  # PC-7
AMENDMENT_REFUSED_DAYS = 15  # PC-7
NEVER_INSURABLE_MONTHS = 1  # PC-10
# Wet 4 april 2014 art. 71 (the conditions defer to "de door de wet bepaalde voorwaarden"):
# suspension or termination for non-payment takes effect only after 15 days counted from
# the day after posting or service of the formal notice.
NON_PAYMENT_MIN_DAYS = 15

# Who may invoke which ground, and the rule that grants it.
GROUND_RULES: dict[Ground, dict[Party, str]] = {
    "after_claim": {"policyholder": "PC-9", "insurer": "PC-10"},
    "conditions_change": {"policyholder": "PC-9"},
    "tariff_change": {"policyholder": "PC-9"},
    "risk_reduction": {"policyholder": "PC-9"},
    "late_start": {"policyholder": "PC-9"},
    "cover_terminated": {"policyholder": "PC-9", "insurer": "PC-10"},
    "aggravation": {"insurer": "PC-10"},
    "non_payment": {"insurer": "PC-10"},
    "legal_change": {"insurer": "PC-10"},
    "emigration": {"policyholder": "PC-6", "insurer": "PC-6"},
    "interest_lost": {"policyholder": "PC-6", "insurer": "PC-6"},
}


class TerminationRefused(ValueError):
    """A notice the rules do not allow; ``rule`` names the rule for the problem+json."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True)
class Window:
    """Days on which a notice may be given; both ends inclusive, ``closes_on`` None = open."""

    opens_on: date
    closes_on: date | None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date) or day < self.opens_on:
            return False
        return self.closes_on is None or day <= self.closes_on


class OutsideWindow(TerminationRefused):
    """The notice date falls outside the ground's window (422 with the window)."""

    def __init__(self, rule: str, detail: str, window: Window) -> None:
        super().__init__(rule, detail)
        self.window = window


@dataclass(frozen=True)
class ContractDates:
    signed_on: date
    starts_on: date


@dataclass(frozen=True)
class Notice:
    """A termination notice and the facts its ground needs.

    ``notified_on`` is the posting date (registered letter), the service date (bailiff) or
    the date on the receipt (letter against receipt).
    """

    by: Party
    ground: Ground
    notified_on: date
    channel: Channel
    claim_settled_on: date | None = None  # after_claim: indemnity paid or refused
    fraud_complaint_filed: bool = False  # after_claim by the insurer (PC-11)
    change_notified_on: date | None = None  # conditions/tariff change: insurer's notice
    change_applies_on: date | None = None  # due date the change would take effect on
    change_imposed_by_authorities: bool = False  # PC-9 "tenzij ... opgelegd"
    reduction_requested_on: date | None = None  # risk_reduction
    cover_terminated_on: date | None = None  # the other party's notice for one cover
    aggravation_known_on: date | None = None  # aggravation, never insurable
    never_insurable: bool = False
    amendment_received_on: date | None = None  # aggravation: proposal received
    amendment_refused_on: date | None = None
    formal_notice_effective_on: date | None = None  # non_payment: date in the letter
    law_changed_on: date | None = None  # legal_change
    departure_on: date | None = None  # emigration
    interest_lost_on: date | None = None  # interest_lost: the day the interest disappeared


@dataclass(frozen=True)
class Termination:
    ground: Ground
    by: Party
    effective_on: date  # first day the contract no longer runs
    rule: str  # rule granting the ground (PC-6, PC-9, PC-10)
    effect_rule: str  # rule fixing the effective date (PC-6, PC-8, PC-11)
    window: Window | None


def terminate(contract: ContractDates, notice: Notice) -> Termination:
    """Check ``notice`` against its ground and compute when the termination takes effect."""
    if notice.channel not in CHANNELS:
        raise TerminationRefused("PC-11", f"unknown channel {notice.channel!r}")
    granted = GROUND_RULES.get(notice.ground)
    if granted is None:
        raise TerminationRefused("PC-9", f"unknown ground {notice.ground!r}")
    rule = granted.get(notice.by)
    if rule is None:
        owner = " and ".join(granted)
        raise TerminationRefused(
            "PC-10" if notice.by == "insurer" else "PC-9",
            f"ground {notice.ground} is open to the {owner} only",
        )
    if notice.ground == "emigration":
        departure = _required(notice.departure_on, "PC-6", "departure_on")
        return Termination(notice.ground, notice.by, departure, rule, "PC-6", None)
    if notice.ground == "interest_lost":
        lost = _required(notice.interest_lost_on, "PC-6", "interest_lost_on")
        return Termination(notice.ground, notice.by, day_after(lost), rule, "PC-6", None)
    if notice.ground == "non_payment":
        return _non_payment(notice, rule)
    window = _window(contract, notice, rule)
    if notice.notified_on not in window:
        raise OutsideWindow(
            rule,
            f"a {notice.ground} notice must be given between {window.opens_on} and "
            f"{window.closes_on or 'any later date'}; it was given on {notice.notified_on}",
            window,
        )
    effective_on, effect_rule = _effect(contract, notice)
    return Termination(notice.ground, notice.by, effective_on, rule, effect_rule, window)


def one_month_notice_effect(notified_on: date) -> date:
    """PC-11: 1 month counted from the day after posting/service/receipt, clamped.

    Posted 31 January -> the month runs from 1 February -> effect on 1 March; posted
    28, 29 or 30 January 2027 -> effect on 28 February (no 29-31 February).
    """
    return add_months(day_after(notified_on), NOTICE_MONTHS)


def _effect(contract: ContractDates, notice: Notice) -> tuple[date, str]:
    if notice.ground == "after_claim":
        fraud = notice.by == "insurer" and notice.fraud_complaint_filed
        months = AFTER_CLAIM_FRAUD_MONTHS if fraud else AFTER_CLAIM_MONTHS
        return add_months(day_after(notice.notified_on), months), "PC-11"
    effective_on = one_month_notice_effect(notice.notified_on)
    if notice.ground in ("conditions_change", "tariff_change"):
        change_notified_on = _required(notice.change_notified_on, "PC-11", "change_notified_on")
        applies_on = notice.change_applies_on or next_due_date(
            contract.starts_on, change_notified_on
        )
        effective_on = max(effective_on, applies_on)
    return effective_on, "PC-11"


def _window(contract: ContractDates, notice: Notice, rule: str) -> Window:
    ground = notice.ground
    if ground == "after_claim":
        settled = _required(notice.claim_settled_on, rule, "claim_settled_on")
        return Window(settled, add_months(settled, CLAIM_WINDOW_MONTHS))
    if ground in ("conditions_change", "tariff_change"):
        if notice.change_imposed_by_authorities:
            raise TerminationRefused(
                rule, "a change imposed by the authorities as a general adjustment"
            )
        sent = _required(notice.change_notified_on, rule, "change_notified_on")
        if ground == "conditions_change":
            return Window(sent, sent + timedelta(days=CONDITIONS_CHANGE_DAYS))
        return Window(sent, add_months(sent, TARIFF_CHANGE_MONTHS))
    if ground == "risk_reduction":
        asked = _required(notice.reduction_requested_on, rule, "reduction_requested_on")
        return risk_reduction_window(asked)
    if ground == "late_start":
        return _late_start_window(contract, rule)
    if ground == "cover_terminated":
        other = _required(notice.cover_terminated_on, rule, "cover_terminated_on")
        return Window(other, None)
    if ground == "aggravation":
        return _aggravation_window(notice, rule)
    law = _required(notice.law_changed_on, rule, "law_changed_on")  # legal_change
    return Window(law, None)


def _late_start_window(contract: ContractDates, rule: str) -> Window:
    # "groter is dan 1 jaar": strictly more than one year between signing and start.
    if contract.starts_on <= add_months(contract.signed_on, 12):
        raise TerminationRefused(
            rule,
            f"start {contract.starts_on} is not more than one year after signing "
            f"{contract.signed_on}",
        )
    return Window(contract.signed_on, add_months(contract.starts_on, -LATE_START_MONTHS))


def _aggravation_window(notice: Notice, rule: str) -> Window:
    if notice.never_insurable:
        known = _required(notice.aggravation_known_on, rule, "aggravation_known_on")
        return Window(known, add_months(known, NEVER_INSURABLE_MONTHS))
    if notice.amendment_refused_on is not None:
        return amendment_refused_window(notice.amendment_refused_on)
    received = _required(notice.amendment_received_on, rule, "amendment_received_on")
    return amendment_lapsed_window(received)


# The windows a PC-7 amendment opens (policy.domain.amendments shows them; one arithmetic).
def risk_reduction_window(requested_on: date) -> Window:
    """PC-9: no premium agreement "binnen 1 maand na uw aanvraag": open from the day after."""
    return Window(day_after(add_months(requested_on, REDUCTION_AGREEMENT_MONTHS)), None)


def amendment_refused_window(refused_on: date) -> Window:
    """PC-7: "binnen 15 dagen" from the refusal of the proposed amendment."""
    return Window(refused_on, refused_on + timedelta(days=AMENDMENT_REFUSED_DAYS))


def amendment_lapsed_window(received_on: date) -> Window:
    """PC-7: the 15 days after the month to accept (from the proposal's receipt) lapsed."""
    lapsed = add_months(received_on, AMENDMENT_ACCEPT_MONTHS)  # last day to accept
    return Window(day_after(lapsed), lapsed + timedelta(days=AMENDMENT_REFUSED_DAYS))


def non_payment_earliest(notified_on: date) -> date:
    """Art. 70/71: the first day a suspension or termination for non-payment can take
    effect. The 15 days count from the day after posting/service (day 1), so a formal
    notice posted on Friday 5 March 2027 runs Saturday 6 .. Saturday 20 March and takes
    effect on Sunday 21 March (0:00)."""
    return day_after(notified_on) + timedelta(days=NON_PAYMENT_MIN_DAYS)


def _non_payment(notice: Notice, rule: str) -> Termination:
    earliest = non_payment_earliest(notice.notified_on)
    effective_on = notice.formal_notice_effective_on or earliest
    if effective_on < earliest:
        raise OutsideWindow(
            "PC-8",
            f"a termination for non-payment takes effect at the earliest on {earliest} "
            f"(15 days from the day after {notice.notified_on}); the letter says {effective_on}",
            Window(earliest, None),
        )
    return Termination(notice.ground, notice.by, effective_on, rule, "PC-8", None)


def _required(value: date | None, rule: str, name: str) -> date:
    if value is None:
        raise TerminationRefused(rule, f"{name} is required for this ground")
    return value
