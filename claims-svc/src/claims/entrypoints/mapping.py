"""The one place API models and domain dataclasses meet: the body becomes a ``Contract`` and
a ``Claim``, the engine's ``Decision`` becomes the answer. No rule is decided here."""

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from mylm_shared.kernel.money import to_cents
from pydantic import BaseModel

from claims.domain import facts as domain
from claims.domain.contract import Contract, GrantedService, PriorClaim
from claims.domain.decision import Decision
from claims.entrypoints.schema_cover_check import (
    ClaimIn,
    CoverCheckOut,
    FindingOut,
    LimitOut,
    PolicyState,
    ReasonOut,
)
from claims.entrypoints.schema_facts import ServiceRequest


def to_contract(policy: PolicyState) -> Contract:
    return Contract(
        formula=policy.formula,
        start_date=policy.start_date,
        end_date=policy.end_date,
        first_premium_paid=policy.first_premium_paid,
        threshold_pct=policy.threshold_pct,
        e_protection=policy.e_protection,
        prior_claims=tuple(
            PriorClaim(
                p.cover,
                p.event_date,
                counts=p.status not in ("rejected", "withdrawn"),
                same_insured=p.same_insured,
                granted=tuple(GrantedService(g.service, g.quantity, g.amount) for g in p.granted)
                if p.status not in ("rejected", "withdrawn")
                else (),
            )
            for p in policy.prior_claims
        ),
    )


def to_facts(cover: domain.Cover, facts: BaseModel) -> domain.Facts:
    """The cover's facts dataclass, field for field (the API model has the same names)."""
    kind = domain.FACTS_BY_COVER[cover]
    values: dict[str, Any] = {name: _domain_value(value) for name, value in facts}
    return kind(**values)


def facts_json(facts: BaseModel) -> dict[str, Any]:
    """The facts as stored and fingerprinted: JSON, with sets sorted (a frozenset's order
    changes from one process to the next, an idempotent retry's fingerprint must not)."""
    dumped: dict[str, Any] = facts.model_dump(mode="json")
    for name, value in facts:
        if isinstance(value, frozenset):
            dumped[name] = sorted(dumped[name])
    return dumped


def _domain_value(value: object) -> object:
    if isinstance(value, ServiceRequest):
        return domain.ServiceRequest(**dict(value))
    if isinstance(value, list):
        return tuple(_domain_value(v) for v in value)
    return value


def to_claim(claim: ClaimIn) -> domain.Claim:
    return domain.Claim(
        event_date=claim.event_date,
        declared_on=claim.declared_on,
        facts=to_facts(claim.cover, claim.facts),
        claimant_insured=claim.claimant_insured,
    )


def _euros(amount: Decimal | None) -> str | None:
    return None if amount is None else str(to_cents(amount, rounding=ROUND_HALF_EVEN))


def to_answer(decision: Decision) -> CoverCheckOut:
    return CoverCheckOut(
        outcome=decision.outcome,
        late_declaration=decision.late_declaration,
        rules=list(decision.rules),
        reason=ReasonOut(nl=decision.reason.nl, fr=decision.reason.fr),
        ceiling=_euros(decision.ceiling),
        deductible=_euros(decision.deductible),
        findings=[
            FindingOut(
                rule=f.rule, effect=f.effect, reason=ReasonOut(nl=f.reason.nl, fr=f.reason.fr)
            )
            for f in decision.findings
        ],
        limits=[
            LimitOut(
                item=x.item,
                amount=_euros(x.amount),
                rule=x.rule,
                quantity=None if x.quantity is None else str(x.quantity),
            )
            for x in decision.limits
        ],
    )
