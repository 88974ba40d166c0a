"""What the cover engine answers: an outcome, every rule that applied, reasons in nl and fr.

* ``rejected``: at least one rule refuses the claim;
* ``covered_in_part``: none refuses it, but at least one limits it (a capped amount, an
  excluded item, a service asked for that the conditions do not grant);
* ``covered``: every rule checked is met.

``rules`` lists every rule the engine checked, met or not, in the order checked, each once;
``findings`` holds the ones that refused, limited or flagged, with their reason. A late
declaration is flagged (CL-2) and does not change the outcome by itself: the conditions
reduce the indemnity only "tot beloop van het geleden nadeel", which staff assess.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.formatting import euro

Outcome = Literal["covered", "covered_in_part", "rejected"]
Effect = Literal["reject", "limit", "flag"]


@dataclass(frozen=True)
class Reason:
    nl: str
    fr: str


@dataclass(frozen=True)
class Finding:
    rule: str
    effect: Effect
    reason: Reason


@dataclass(frozen=True)
class Limit:
    """One service, stage or item the conditions limit, after the group rule (LA-11;
    issue 16 item 2): e.g. "repatriation", "relative_at_bedside_travel", "defence_appeal",
    "e_reputation_cleaning", "indemnity_identity_theft", "funeral_costs"."""

    item: str
    amount: Decimal | None  # euros; None: no cap in euros (none given, or units only)
    rule: str
    quantity: Decimal | None = None  # calls, hours, nights, trips ... when limited in units


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    rules: tuple[str, ...]
    reason: Reason
    findings: tuple[Finding, ...]
    late_declaration: bool
    # The most the insurer pays for the claim: the sum of ``limits``; None if rejected or
    # when one limit has no cap (issue 16: None means no cap, never zero).
    ceiling: Decimal | None
    deductible: Decimal | None
    limits: tuple[Limit, ...] = ()


COVERED = Reason(
    "Gedekt: aan alle voorwaarden van de polis is voldaan.",
    "Couvert : toutes les conditions de la police sont remplies.",
)

HEADLINES: dict[Outcome, tuple[str, str]] = {
    "covered": ("Gedekt.", "Couvert."),
    "covered_in_part": ("Gedeeltelijk gedekt.", "Couvert en partie."),
    "rejected": ("Geweigerd.", "Refusé."),
}


@dataclass
class Assessment:
    """Collects what the rules find while the engine runs; ``decision()`` freezes it."""

    rules: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    ceiling: Decimal | None = None  # set by the cover's rules
    deductible: Decimal | None = None
    late_declaration: bool = False  # set by the declaration windows (PA-7, AS-1, LA-3, LA-14)

    def met(self, rule: str) -> None:
        if rule not in self.rules:
            self.rules.append(rule)

    def reject(self, rule: str, nl: str, fr: str) -> None:
        self._add(rule, "reject", nl, fr)

    def limit(self, rule: str, nl: str, fr: str) -> None:
        self._add(rule, "limit", nl, fr)

    def flag(self, rule: str, nl: str, fr: str) -> None:
        self._add(rule, "flag", nl, fr)

    def cap(self, limit: Limit) -> None:
        self.met(limit.rule)
        self.limits.append(limit)

    def _add(self, rule: str, effect: Effect, nl: str, fr: str) -> None:
        self.met(rule)
        self.findings.append(Finding(rule, effect, Reason(nl, fr)))

    def decision(self) -> Decision:
        effects = {f.effect for f in self.findings}
        outcome: Outcome = (
            "rejected"
            if "reject" in effects
            else "covered_in_part"
            if "limit" in effects
            else "covered"
        )
        shown = [f for f in self.findings if outcome != "rejected" or f.effect != "limit"]
        nl, fr = HEADLINES[outcome]
        reason = (
            Reason(
                " ".join([nl, *(f"{f.reason.nl} ({f.rule})" for f in shown)]),
                " ".join([fr, *(f"{f.reason.fr} ({f.rule})" for f in shown)]),
            )
            if shown
            else COVERED
        )
        covered = outcome != "rejected"
        if covered and self.ceiling is not None:
            reason = _with_ceiling(reason, self.ceiling, self.limits)
        return Decision(
            outcome=outcome,
            rules=tuple(self.rules),
            reason=reason,
            findings=tuple(self.findings),
            late_declaration=self.late_declaration,
            ceiling=self.ceiling if covered else None,
            deductible=self.deductible if covered else None,
            limits=tuple(self.limits) if covered else (),
        )


def _with_ceiling(reason: Reason, ceiling: Decimal, limits: list[Limit]) -> Reason:
    """The member reads what the insurer pays at most and which rule says so."""
    rules = ", ".join(dict.fromkeys(limit.rule for limit in limits if limit.amount is not None))
    cited = f" ({rules})" if rules else ""
    return Reason(
        f"{reason.nl} Maximaal {euro(ceiling, 'nl')}{cited}.",
        f"{reason.fr} Au maximum {euro(ceiling, 'fr')}{cited}.",
    )
