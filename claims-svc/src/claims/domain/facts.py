"""The facts each cover's rules need, one frozen dataclass per cover (CL-1, PA, AS, LA).

Conventions: English snake_case fields; amounts are ``Decimal`` euros incl. VAT; dates are
``date``; countries are ISO 3166 alpha-2 codes ("BE"); trips and rentals are given by their
first and last day abroad / rented (``*_on`` dates, both inclusive: the traveller is abroad
on both days). Every field has a default that describes the ordinary case except the ones
a rule cannot do without.

A ``Claim`` carries the facts; its cover is derived from the facts' class, so a claim can
never pair the "accident" cover with e-merchant facts.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal, get_args

from mylm_shared.kernel.money import ZERO

from claims.domain.exclusions import AccidentExclusion, AssistanceExclusion, EProtectionExclusion

Cover = Literal[
    "accident",
    "assistance",
    "identity_theft",
    "payment_fraud",
    "e_reputation",
    "e_merchant_goods",
    "e_merchant_service",
    "connected_object",
]
EProtectionCover = Literal[
    "identity_theft",
    "payment_fraud",
    "e_reputation",
    "e_merchant_goods",
    "e_merchant_service",
    "connected_object",
]
COVERS: tuple[Cover, ...] = get_args(Cover)
EPROTECTION_COVERS: tuple[EProtectionCover, ...] = get_args(EProtectionCover)


# PA-2: the three exceptions to the motor-traffic exclusion.
MotorException = Literal["rented_four_wheeler", "child_motor_vehicle", "garden_or_wheelchair"]
# LA-11: the judicial stages with a ceiling ("Diverse expertises", "1e aanleg", "Beroep",
# "Cassatie"); amicable handling by LAR's own services has no ceiling ("Los van de kosten
# van zijn eigen diensten").
Stage = Literal["expertise", "first_instance", "appeal", "cassation"]
STAGES: tuple[Stage, ...] = get_args(Stage)


@dataclass(frozen=True, kw_only=True)
class AccidentCircumstances:
    """Where and how the accident happened: shared by accident and assistance claims,
    since assistance is only granted "in geval van gedekt ongeval" (PA-2, PA-3, PA-4)."""

    country: str  # where the accident happened (PA-3, AS-3)
    trip_departed_on: date | None = None  # first day abroad, for an accident abroad
    trip_ends_on: date | None = None  # last day abroad (actual or booked return)
    motor_vehicle_traffic: bool = False  # a "verkeersongeval ... landmotorvoertuig" (PA-2)
    motor_exception: MotorException | None = None  # which PA-2 exception is claimed
    rental_starts_on: date | None = None  # rented four-wheeler: first rental day
    rental_ends_on: date | None = None  # rented four-wheeler: last rental day
    driver_age: int | None = None  # child_motor_vehicle: age of the child driving
    disability_pct: Decimal | None = None  # permanent disability; None = not consolidated
    died: bool = False  # the insured died of the accident
    exclusions: frozenset[AccidentExclusion] = frozenset()  # PA-4 codes that apply


@dataclass(frozen=True, kw_only=True)
class AccidentFacts(AccidentCircumstances):
    """Private-life accident (PA-1..PA-9)."""

    cover: ClassVar[Cover] = "accident"
    aesthetic_damage: int | None = None  # permanent aesthetic damage on the 1..7 scale (PA-6)
    death_solely_from_accident: bool = True  # "het exclusieve gevolg van het ongeval" (PA-5)
    claimed_amount: Decimal | None = None  # all items together, for one victim (PA-5)
    funeral_costs: Decimal | None = None  # funeral costs claimed (PA-5)
    relatives_damage_claimed: bool = False  # beneficiaries' income loss / moral damage (PA-5)
    pre_consolidation_costs_claimed: bool = False  # costs/temporary damage (PA-6)
    pre_existing_condition: bool = False  # aggravated by an earlier condition (PA-6)
    benefits_received: Decimal = ZERO  # already paid for the same damage by others (PA-9)
    judicial_documents_late: bool = False  # forwarded later than 48 hours (PA-7)


AssistanceService = Literal[
    "psychological_support",
    "home_help",
    "sick_care",
    "bedside_stay",
    "childcare",
    "pet_transfer",
    "hospital_transport",
    "repatriation",
    "relative_at_bedside",
    "extended_stay",
    "medical_costs_abroad",
    "dental_abroad",
    "information",
    "tutoring",
    "reorientation",
    "moving_help",
    "post_mortem_repatriation",
    "coffin",
    "guardian",
    "relative_ticket",
]
ASSISTANCE_SERVICES: tuple[AssistanceService, ...] = get_args(AssistanceService)


@dataclass(frozen=True)
class ServiceRequest:
    """One assistance service asked for; its limit is in ``assistance.SERVICE_LIMITS``."""

    service: AssistanceService
    quantity: Decimal = Decimal(1)  # calls, hours, nights, trips, interviews, days, animals
    amount: Decimal = ZERO  # euros asked for (the hotel, for relative_at_bedside / guardian)
    beneficiaries: int = 1  # extended stay: "per dag en per begunstigde"
    travel_amount: Decimal = ZERO  # relative_at_bedside / guardian: the journey, no cap
    given_in: str = "BE"  # where the service is given (AS-4 "enkel verleend in België")
    prescribed_on: date | None = None  # hospital_transport: the exams' prescription (AS-2)


@dataclass(frozen=True, kw_only=True)
class AssistanceFacts(AccidentCircumstances):
    """Assistance after a covered accident (AS-1..AS-6)."""

    cover: ClassVar[Cover] = "assistance"
    requests: tuple[ServiceRequest, ...] = ()
    hospitalised_days: int = 0  # AS-2 "> 2 dagen", AS-3 bedside "> 5 dagen"
    immobilised_days: int = 0  # immobilised at home, AS-2 "> 4 dagen"
    hospital_discharged_on: date | None = None  # AS-1 window also runs from discharge
    prior_agreement: bool = True  # costs made "met ons goedvinden" (AS-1)
    force_majeure: bool = False  # "behalve in geval van overmacht" (AS-1)
    school_absence_days: int = 0  # insured child's consecutive absence (AS-4 tutoring)
    children_under_18_left_alone: bool = False  # AS-5 guardian
    pregnancy_week: int | None = None  # week of pregnancy of the victim (AS-6)
    life_threatening_abroad: bool = False  # AS-6 exception for pregnancy abroad
    assistance_exclusions: frozenset[AssistanceExclusion] = frozenset()  # AS-6 codes


@dataclass(frozen=True, kw_only=True)
class EProtectionFacts:
    """Facts every e-protection cover needs (LA-1..LA-14)."""

    cover: ClassVar[Cover]
    principal_stake: Decimal  # "hoofdinzet": the amount in dispute (LA-4)
    known_at_subscription: bool = False  # dispute known when e-protection was taken (LA-2)
    insured_lives_in_belgium: bool = True  # "in België gedomicilieerd ... gewoonlijk verblijft"
    defence_country: str = "BE"  # where the legal interests are defended (LA-13)
    stages: frozenset[Stage] = frozenset()  # judicial stages asked for (LA-11)
    recognised_mediation: bool = False  # mediator recognised by the federal commission
    related_covers: frozenset[EProtectionCover] = frozenset()  # other covers touched (LA-11)
    proceedings_without_agreement: bool = False  # steps taken without LAR's agreement (LA-12)
    class_action_members: int = 0  # size of the collective action, 0 if none (LA-10)
    judicial_documents_late: bool = False  # forwarded later than 48 hours (LA-14)
    exclusions: frozenset[EProtectionExclusion] = frozenset()  # LA-10 codes


@dataclass(frozen=True, kw_only=True)
class IdentityTheftFacts(EProtectionFacts):
    """Identity theft (LA-5, LA-6)."""

    cover: ClassVar[Cover] = "identity_theft"
    card_number_debited: bool = False  # a stolen card number was debited: payment fraud
    salary_loss_days: int = 0  # unpaid leave to appear in court (LA-6: max 5 days)
    phone_costs_per_month: Decimal = ZERO  # extra phone use (LA-6: max 30 per month)
    claimed_amount: Decimal = ZERO  # total indemnity asked for (LA-6: max 5,000)


PaymentInstrument = Literal[
    "cheque",
    "bank_card",
    "electronic_money",
    "travel_cheque",
    "meal_voucher",
    "eco_voucher",
    "other",
]


@dataclass(frozen=True, kw_only=True)
class PaymentFraudFacts(EProtectionFacts):
    """Fraudulent use of means of payment (LA-5, LA-6)."""

    cover: ClassVar[Cover] = "payment_fraud"
    instrument: PaymentInstrument = "bank_card"
    salary_loss_days: int = 0
    phone_costs_per_month: Decimal = ZERO
    claimed_amount: Decimal = ZERO


Medium = Literal["blog", "forum", "social_network", "website", "other"]


@dataclass(frozen=True, kw_only=True)
class EReputationFacts(EProtectionFacts):
    """Damage to e-reputation (LA-5, LA-7, LA-13)."""

    cover: ClassVar[Cover] = "e_reputation"
    medium: Medium = "social_network"  # LA-10: other media are excluded
    host_country: str = "BE"  # seat or branch of the site hosting the information (LA-13)
    responsible_identified: bool = True  # dispute against "een persoon aansprakelijk" (LA-7)
    responsible_country: str = "BE"  # where the person responsible resides (LA-7)
    cleaning_requested: bool = False  # removal of the information by experts (LA-7)
    drowning_requested: bool = False  # pushing it down the search results (LA-7)
    removal_failed: bool = False
    complaint_filed: bool = False


DeliveryMethod = Literal["tracked_post", "private_carrier", "other"]
GoodsDefect = Literal[
    "broken",
    "incomplete",
    "damaged_or_non_conforming",
    "not_matching_specs",
    "not_delivered",
]


@dataclass(frozen=True, kw_only=True)
class EMerchantGoodsFacts(EProtectionFacts):
    """Purchase of a tangible good from an e-merchant (LA-8)."""

    cover: ClassVar[Cover] = "e_merchant_goods"
    price: Decimal  # price incl. VAT ("ATI")
    transportable: bool = True
    bought_online: bool = True
    new: bool = True
    seller_professional: bool = True  # an "e-handelaar" (professional)
    seller_country: str = "BE"  # where the professional seller is domiciled
    delivery_method: DeliveryMethod = "tracked_post"
    delivery_country: str = "BE"
    defect: GoodsDefect
    promised_delivery_on: date | None = None  # date on the order confirmation
    delivered_on: date | None = None  # None: not delivered when declared


ServiceDefect = Literal["badly_performed", "not_performed"]


@dataclass(frozen=True, kw_only=True)
class EMerchantServiceFacts(EProtectionFacts):
    """Purchase of a service from an e-merchant (LA-9)."""

    cover: ClassVar[Cover] = "e_merchant_service"
    bought_online: bool = True
    seller_professional: bool = True
    seller_country: str = "BE"
    defect: ServiceDefect


@dataclass(frozen=True, kw_only=True)
class ConnectedObjectFacts(EProtectionFacts):
    """A connected object's defect leading to another e-protection case (LA-5)."""

    cover: ClassVar[Cover] = "connected_object"
    leads_to: EProtectionCover  # the case the defect led to


Facts = (
    AccidentFacts
    | AssistanceFacts
    | IdentityTheftFacts
    | PaymentFraudFacts
    | EReputationFacts
    | EMerchantGoodsFacts
    | EMerchantServiceFacts
    | ConnectedObjectFacts
)

FACTS_BY_COVER: dict[Cover, type[Facts]] = {
    "accident": AccidentFacts,
    "assistance": AssistanceFacts,
    "identity_theft": IdentityTheftFacts,
    "payment_fraud": PaymentFraudFacts,
    "e_reputation": EReputationFacts,
    "e_merchant_goods": EMerchantGoodsFacts,
    "e_merchant_service": EMerchantServiceFacts,
    "connected_object": ConnectedObjectFacts,
}


@dataclass(frozen=True)
class Claim:
    """A declared claim (CL-1): the event, the day it reached us, and the cover's facts."""

    event_date: date  # accident / "schadeverwekkend feit"
    declared_on: date  # the day the declaration was received
    facts: Facts
    claimant_insured: bool = True  # the victim is an insured person on the event date (PC-2/3)

    @property
    def cover(self) -> Cover:
        return self.facts.cover
