"""The body and answer of ``POST /v1/cover-check``: the contract's state, the claim with the
facts of its cover (a choice by ``cover``: one schema per cover), and the decision."""

from decimal import Decimal
from typing import Annotated, Literal

from mylm_shared.inputs import InputModel
from mylm_shared.kernel.money import ZERO
from pydantic import BaseModel, ConfigDict, Field

from claims.domain.decision import Effect, Outcome
from claims.domain.facts import AssistanceService, Cover
from claims.entrypoints.schema_facts import (
    AccidentFacts,
    AssistanceFacts,
    ConnectedObjectFacts,
    EMerchantGoodsFacts,
    EMerchantServiceFacts,
    EReputationFacts,
    IdentityTheftFacts,
    PaymentFraudFacts,
)
from claims.entrypoints.schema_types import Amount, Day, Quantity

_IN = ConfigDict(extra="forbid", frozen=True)


class GrantedService(InputModel):
    """An assistance service an earlier claim was granted (AS-2 "eenmaal per gedekt
    ongeval")."""

    model_config = _IN
    service: AssistanceService = Field(description="The service granted.")
    quantity: Quantity = Field(Decimal(1), description="Calls, hours, nights … granted.")
    amount: Amount = Field(ZERO, description="Euros granted.")


class PriorClaim(InputModel):
    """Another claim on the contract (issue 16). LA-1 counts an e-protection claim unless it
    was rejected or withdrawn; AS-2 uses what an assistance claim for the same accident
    (same ``event_date``) of the same insured person was ``granted``."""

    model_config = _IN
    cover: Cover = Field(description="The cover of an earlier claim on the contract.")
    event_date: Day = Field(description="Its event date (LA-1: one claim per insurance year).")
    status: Literal["open", "accepted", "rejected", "withdrawn"] = Field(
        "accepted",
        description="Where it stands: a rejected or withdrawn claim counts for nothing (LA-1) "
        "and uses no service (AS-2).",
    )
    same_insured: bool = Field(
        True, description="It is a claim of the same insured person as this claim (AS-2)."
    )
    granted: list[GrantedService] = Field(
        [],
        max_length=50,
        description="Assistance services it was granted; empty: none (AS-2, AS-3).",
    )


class PolicyState(InputModel):
    """The contract as it stands (PC-1, PC-4; dates as policy-svc's: ``end_date``
    exclusive, null while the contract runs)."""

    model_config = _IN
    formula: Literal["single", "family"] = Field(description="Who is insured (PC-2, PC-3).")
    start_date: Day = Field(description="The start date in the special conditions (PC-4).")
    end_date: Day | None = Field(
        None, description="First day the contract no longer runs; null while it runs."
    )
    first_premium_paid: bool = Field(description="The first premium is paid (PC-4).")
    threshold_pct: int = Field(ge=0, le=100, description="The disability threshold (PA-1).")
    e_protection: bool = Field(False, description="The optional e-protection is subscribed.")
    prior_claims: list[PriorClaim] = Field(
        [],
        max_length=200,
        description="Other claims on the contract (LA-1, AS-2), never this one.",
    )


class _Claim(InputModel):
    model_config = _IN
    event_date: Day = Field(description="The day of the accident or the harmful event.")
    declared_on: Day = Field(description="The day the declaration was received (CL-1).")
    claimant_insured: bool = Field(
        True,
        description="Extension: the victim is an insured person on the event date (PC-2/3).",
    )


class AccidentClaim(_Claim):
    cover: Literal["accident"] = Field(description="The cover claimed.")
    facts: AccidentFacts = Field(description="The facts the accident rules need.")


class AssistanceClaim(_Claim):
    cover: Literal["assistance"] = Field(description="The cover claimed.")
    facts: AssistanceFacts = Field(description="The facts the assistance rules need.")


class IdentityTheftClaim(_Claim):
    cover: Literal["identity_theft"] = Field(description="The cover claimed.")
    facts: IdentityTheftFacts = Field(description="The facts the identity-theft rules need.")


class PaymentFraudClaim(_Claim):
    cover: Literal["payment_fraud"] = Field(description="The cover claimed.")
    facts: PaymentFraudFacts = Field(description="The facts the payment-fraud rules need.")


class EReputationClaim(_Claim):
    cover: Literal["e_reputation"] = Field(description="The cover claimed.")
    facts: EReputationFacts = Field(description="The facts the e-reputation rules need.")


class EMerchantGoodsClaim(_Claim):
    cover: Literal["e_merchant_goods"] = Field(description="The cover claimed.")
    facts: EMerchantGoodsFacts = Field(description="The facts the e-merchant goods rules need.")


class EMerchantServiceClaim(_Claim):
    cover: Literal["e_merchant_service"] = Field(description="The cover claimed.")
    facts: EMerchantServiceFacts = Field(description="The facts the e-merchant service rules need.")


class ConnectedObjectClaim(_Claim):
    cover: Literal["connected_object"] = Field(description="The cover claimed.")
    facts: ConnectedObjectFacts = Field(description="The facts the connected-object rules need.")


ClaimIn = Annotated[
    AccidentClaim
    | AssistanceClaim
    | IdentityTheftClaim
    | PaymentFraudClaim
    | EReputationClaim
    | EMerchantGoodsClaim
    | EMerchantServiceClaim
    | ConnectedObjectClaim,
    Field(discriminator="cover"),
]


class CoverCheckIn(InputModel):
    model_config = _IN
    policy: PolicyState = Field(description="The contract's state.")
    claim: ClaimIn = Field(description="The claim; ``cover`` chooses the schema of ``facts``.")


class ReasonOut(BaseModel):
    nl: str = Field(description="In Dutch.")
    fr: str = Field(description="In French.")


class FindingOut(BaseModel):
    rule: str = Field(description="The rule id, e.g. LA-8.")
    effect: Effect = Field(description="What the rule did: refused, limited or flagged.")
    reason: ReasonOut


class LimitOut(BaseModel):
    """One service, stage or item the conditions limit, as their tables give it (issue 16):
    an assistance service ("repatriation", "dental_abroad", and "<service>_travel" for the
    journey that goes with a hotel), a legal-defence stage ("defence_expertise",
    "defence_first_instance", "defence_appeal", "defence_cassation", each with its own
    amount), "e_reputation_cleaning", a Group II indemnity ("indemnity_identity_theft" …,
    after the group rule across the covers of one group), "per_accident_per_victim",
    "funeral_costs"."""

    item: str = Field(description='What is limited, e.g. "defence_appeal", "repatriation".')
    amount: str | None = Field(
        description="The most the insurer pays for it, in euros (after +10 % recognised "
        "mediation for Group I); null: no cap in euros (the conditions give none, e.g. the "
        "repatriation, or limit it in units only: see ``quantity``)."
    )
    rule: str = Field(description="The rule that sets it, e.g. AS-3, LA-11.")
    quantity: str | None = Field(
        description="Calls, hours, nights, trips … at most, when limited in units; null: not "
        "limited in units."
    )


class CoverCheckOut(BaseModel):
    outcome: Outcome
    late_declaration: bool = Field(description="Declared after its window (CL-2): flagged.")
    rules: list[str] = Field(description="Every rule checked, met or not, in order, once each.")
    reason: ReasonOut = Field(description="Why, in words the member understands.")
    ceiling: str | None = Field(
        description="The most the insurer pays for the claim (euros): the sum of ``limits``. "
        "Null when the claim is rejected, or when a service, stage or item granted has no "
        "cap (e.g. a repatriation: AS-3 gives no amount) — null means no cap, not zero."
    )
    deductible: str | None = Field(
        description="The deductible in euros (AS-3: 50 per insured and per accident, not "
        "again when an earlier claim for the accident bore it); taken off what is paid."
    )
    findings: list[FindingOut] = Field(
        description="The rules that refused, limited or flagged, with their reasons."
    )
    limits: list[LimitOut] = Field(
        description="One entry per service, stage or item granted, with its amount or null "
        "(no cap) and its rule, after the group rule (LA-11)."
    )
