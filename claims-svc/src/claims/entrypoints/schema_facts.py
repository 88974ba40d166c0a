"""The facts of a claim as the API takes them: one model per cover, field for field the
domain's facts dataclasses (``claims.domain.facts``), each field described. Unknown
fields are refused (422 naming them). ``mapping`` turns them into the domain's facts."""

from decimal import Decimal

from mylm_shared.inputs import InputModel
from mylm_shared.kernel.money import ZERO
from pydantic import ConfigDict, Field

from claims.domain.exclusions import AccidentExclusion, AssistanceExclusion, EProtectionExclusion
from claims.domain.facts import (
    AssistanceService,
    DeliveryMethod,
    EProtectionCover,
    GoodsDefect,
    Medium,
    MotorException,
    PaymentInstrument,
    ServiceDefect,
    Stage,
)
from claims.entrypoints.schema_types import Amount, Count, Country, Day, Percent, Quantity

_FACTS = ConfigDict(extra="forbid", frozen=True)


class AccidentCircumstances(InputModel):
    """Where and how the accident happened (shared by accident and assistance claims)."""

    model_config = _FACTS
    country: Country = Field(description="Where the accident happened (PA-3, AS-3).")
    trip_departed_on: Day | None = Field(
        None, description="Accident abroad: the first day abroad (PA-3, AS-3, AS-6)."
    )
    trip_ends_on: Day | None = Field(
        None, description="Accident abroad: the last day abroad, actual or booked return."
    )
    motor_vehicle_traffic: bool = Field(
        False, description="A traffic accident involving a land motor vehicle (PA-2)."
    )
    motor_exception: MotorException | None = Field(
        None, description="Which PA-2 exception to the motor-traffic exclusion is claimed."
    )
    rental_starts_on: Day | None = Field(
        None, description="Rented four-wheeler (PA-2): the first day of the rental."
    )
    rental_ends_on: Day | None = Field(
        None, description="Rented four-wheeler (PA-2): the last day of the rental."
    )
    driver_age: Count | None = Field(
        None, description="child_motor_vehicle (PA-2): the age of the child driving."
    )
    disability_pct: Percent | None = Field(
        None, description="Permanent disability in percent (PA-1); null: not consolidated yet."
    )
    died: bool = Field(False, description="The insured died of the accident (PA-5).")
    exclusions: frozenset[AccidentExclusion] = Field(
        frozenset(), description="The PA-4 exclusions that apply, as codes."
    )


class AccidentFacts(AccidentCircumstances):
    """Facts of a private-life accident claim (PA-1..PA-9)."""

    aesthetic_damage: int | None = Field(
        None, ge=1, le=7, description="Permanent aesthetic damage on the 1..7 scale (PA-6)."
    )
    death_solely_from_accident: bool = Field(
        True, description="Death is the exclusive consequence of the accident (PA-5)."
    )
    claimed_amount: Amount | None = Field(
        None, description="Everything claimed for one victim, all items together (PA-5)."
    )
    funeral_costs: Amount | None = Field(None, description="Funeral costs claimed (PA-5).")
    relatives_damage_claimed: bool = Field(
        False, description="Beneficiaries claim income loss or moral damage (PA-5)."
    )
    pre_consolidation_costs_claimed: bool = Field(
        False, description="Costs or temporary damage before consolidation are claimed (PA-6)."
    )
    pre_existing_condition: bool = Field(
        False, description="The consequences are aggravated by an earlier condition (PA-6)."
    )
    benefits_received: Amount = Field(
        ZERO,
        description="Already paid by others for the same damage (PA-9).",
    )
    judicial_documents_late: bool = Field(
        False, description="Judicial documents were forwarded later than 48 hours (PA-7)."
    )


class ServiceRequest(InputModel):
    """One assistance service asked for (its limit: AS-2..AS-5)."""

    model_config = _FACTS
    service: AssistanceService = Field(description="The assistance service asked for.")
    quantity: Quantity = Field(
        Decimal(1),
        description="Calls, hours, nights, trips, interviews, days or animals asked for.",
    )
    amount: Amount = Field(
        ZERO,
        description="Euros asked for, for services limited in money (for relative_at_bedside "
        "and guardian: the hotel).",
    )
    beneficiaries: int = Field(
        1, ge=1, le=100, description="Extended stay: persons staying ('per beneficiary')."
    )
    travel_amount: Amount = Field(
        ZERO,
        description="relative_at_bedside / guardian: euros asked for the journey, which has "
        "no cap (AS-3, AS-5); 0 when not known yet.",
    )
    given_in: Country = Field(
        "BE",
        description="Where the service is given: AS-4 services are given in Belgium only.",
    )
    prescribed_on: Day | None = Field(
        None,
        description="hospital_transport: the day the doctor prescribed the exams; within the "
        "month after the accident (AS-2, art. 1.7 Civil Code Book 1).",
    )


class AssistanceFacts(AccidentCircumstances):
    """Facts of an assistance request after a covered accident (AS-1..AS-6)."""

    requests: list[ServiceRequest] = Field([], max_length=50, description="The services asked for.")
    hospitalised_days: Count = Field(0, description="Days in hospital (AS-2, AS-3).")
    immobilised_days: Count = Field(0, description="Days immobilised at home (AS-2).")
    hospital_discharged_on: Day | None = Field(
        None, description="Discharge from hospital: the AS-1 window also runs from it."
    )
    prior_agreement: bool = Field(
        True, description="The costs were made with the assistant's prior agreement (AS-1)."
    )
    force_majeure: bool = Field(
        False, description="Force majeure prevented the prior agreement (AS-1)."
    )
    school_absence_days: Count = Field(
        0, description="An insured child's consecutive days of school absence (AS-4)."
    )
    children_under_18_left_alone: bool = Field(
        False, description="Children under 18 are left without a guardian (AS-5)."
    )
    pregnancy_week: int | None = Field(
        None, ge=1, le=45, description="Week of pregnancy of the victim, if pregnant (AS-6)."
    )
    life_threatening_abroad: bool = Field(
        False, description="A life-threatening condition abroad (the AS-6 exception)."
    )
    assistance_exclusions: frozenset[AssistanceExclusion] = Field(
        frozenset(), description="The AS-6 exclusions that apply, as codes."
    )


class EProtectionFacts(InputModel):
    """Facts every e-protection cover needs (LA-1..LA-14)."""

    model_config = _FACTS
    principal_stake: Amount = Field(description="The amount in dispute (LA-4).")
    known_at_subscription: bool = Field(
        False, description="The dispute was known when e-protection was taken (LA-2)."
    )
    insured_lives_in_belgium: bool = Field(
        True, description="The insured is domiciled and usually lives in Belgium."
    )
    defence_country: Country = Field(
        "BE", description="Where the legal interests are defended (LA-13)."
    )
    stages: frozenset[Stage] = Field(
        frozenset(), description="The judicial stages asked for (LA-11)."
    )
    recognised_mediation: bool = Field(
        False, description="A mediator recognised by the federal commission (LA-11: +10 %)."
    )
    related_covers: frozenset[EProtectionCover] = Field(
        frozenset(), description="Other e-protection covers the case touches (LA-11 group rule)."
    )
    proceedings_without_agreement: bool = Field(
        False, description="Steps were taken without the insurer's agreement (LA-12)."
    )
    class_action_members: Count = Field(
        0, description="Size of the collective action, 0 if none (LA-10)."
    )
    judicial_documents_late: bool = Field(
        False, description="Judicial documents were forwarded later than 48 hours (LA-14)."
    )
    exclusions: frozenset[EProtectionExclusion] = Field(
        frozenset(), description="The LA-10 exclusions that apply, as codes."
    )


class _Indemnities(EProtectionFacts):
    salary_loss_days: Count = Field(
        0, description="Unpaid leave days taken to appear in court (LA-6)."
    )
    phone_costs_per_month: Amount = Field(
        ZERO,
        description="Extra phone costs per month (LA-6).",
    )
    claimed_amount: Amount = Field(
        ZERO,
        description="The total indemnity asked for (LA-6).",
    )


class IdentityTheftFacts(_Indemnities):
    """Facts of an identity theft (LA-5, LA-6)."""

    card_number_debited: bool = Field(
        False, description="A stolen card number was debited (that is payment fraud)."
    )


class PaymentFraudFacts(_Indemnities):
    """Facts of a fraudulent use of means of payment (LA-5, LA-6)."""

    instrument: PaymentInstrument = Field("bank_card", description="The means of payment.")


class EReputationFacts(EProtectionFacts):
    """Facts of damage to e-reputation (LA-5, LA-7, LA-13)."""

    medium: Medium = Field("social_network", description="Where it was published (LA-10).")
    host_country: Country = Field(
        "BE", description="Seat or branch of the site hosting the information (LA-13)."
    )
    responsible_identified: bool = Field(
        True, description="The person responsible is identified (LA-7)."
    )
    responsible_country: Country = Field(
        "BE", description="Where the person responsible resides (LA-7)."
    )
    cleaning_requested: bool = Field(
        False, description="Removal of the information by experts is asked for (LA-7)."
    )
    drowning_requested: bool = Field(
        False, description="Pushing it down the search results is asked for (LA-7)."
    )
    removal_failed: bool = Field(False, description="A removal was tried and failed (LA-7).")
    complaint_filed: bool = Field(False, description="A complaint was filed (LA-7).")


class _Purchase(EProtectionFacts):
    bought_online: bool = Field(True, description="Bought on the internet (LA-8, LA-9).")
    seller_professional: bool = Field(
        True, description="The seller is a professional e-merchant (LA-8, LA-9)."
    )
    seller_country: Country = Field(
        "BE", description="Where the professional seller is domiciled (LA-8, LA-9)."
    )


class EMerchantGoodsFacts(_Purchase):
    """Facts of a purchase of a tangible good from an e-merchant (LA-8)."""

    price: Amount = Field(description="The price incl. VAT (LA-8).")
    transportable: bool = Field(True, description="A transportable movable good (LA-8).")
    new: bool = Field(True, description="Bought new (LA-8).")
    delivery_method: DeliveryMethod = Field("tracked_post", description="How it was sent (LA-8).")
    delivery_country: Country = Field("BE", description="Where it was delivered (LA-8).")
    defect: GoodsDefect = Field(description="What is wrong with the delivery (LA-8).")
    promised_delivery_on: Day | None = Field(
        None, description="The delivery date on the order confirmation (LA-8)."
    )
    delivered_on: Day | None = Field(
        None, description="The day it was delivered; null: not delivered when declared."
    )


class EMerchantServiceFacts(_Purchase):
    """Facts of a purchase of a service from an e-merchant (LA-9)."""

    defect: ServiceDefect = Field(description="What is wrong with the service (LA-9).")


class ConnectedObjectFacts(EProtectionFacts):
    """Facts of a connected object's defect leading to another e-protection case (LA-5)."""

    leads_to: EProtectionCover = Field(description="The case the defect led to (LA-5).")
