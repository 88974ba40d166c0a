"""Legal assistance "e-protection" (LA-1, LA-2, LA-4..LA-13).

Contract level (run first by the engine):

* LA-1 "Deze dekking wordt u slechts verleend voor zover in uw bijzondere voorwaarden
  vermeld wordt dat u ze hebt afgesloten"; "binnen de limiet van een schadegeval per
  verzekeringsjaar ongeacht de gekozen formule": any earlier e-protection claim whose event
  falls in the same insurance year refuses the new one, unless it was rejected or
  withdrawn (issue 16: a withdrawn claim is no "schadegeval" LAR covered).
* LA-2 "de wachttijd bedraagt 1 maand vanaf de uitwerking van het contract": the month
  starts on the start date itself (the contract takes effect at 0:00 that day): start 15
  January, 14 February refused, 15 February covered. At a month end the text does not say
  whether a month from 31 January ends on 27 or on 28 February; the reading favourable to
  the insured applies (art. VI.37 §2 WER): covered from 28 February (``add_months`` clamps
  to the month's last day), not from 1 March; "de verzekerde geen kennis had van het
  geschil ... op het ogenblik van de afsluiting".

Cover level:

* LA-4 "de schadegevallen waarvan de hoofdinzet 150 EUR niet overschrijdt" are not covered:
  150.00 is refused, 150.01 covered. Cassation costs not covered "indien de hoofdinzet lager
  is dan 1.240 EUR": 1,239.99 without, 1,240.00 with cassation.
* LA-5 definitions: payment fraud is the use of "cheques (uitgezonderd reischeques,
  restaurantticket, ecocheques), bankkaarten, elektronisch geld"; a stolen card number that
  was debited is not identity theft ("in tegengesteld geval, zal het geschil verbonden worden
  met het bedrieglijk gebruik van de betaalmiddelen").
* LA-6 indemnity items: "loonverlies ... met een limiet van 5 dagen", "extra telefonie
  gebruik ... met een limiet van 30 EUR per maand", "binnen de limiet van 5.000 EUR".
* LA-7 "cumulatieve voorwaarden": after subscription, "het geschil dient zich te richten tot
  een persoon aansprakelijk"; drowning only "op voorwaarde dat de verzekerde klacht heeft
  neergelegd" and when removal "onmogelijk is". "Op voorwaarde dat de actie gepast is en
  dat de aansprakelijke in één van de landen, vermeld in de huidige voorwaarden, verblijft"
  closes the paragraph on cleaning and drowning: it conditions that service, not the
  defence (issue 16): a person responsible living elsewhere limits the claim (no cleaning)
  and refuses nothing.
* LA-8 "volgende cumulatieve kenmerken" (all) and "volgende alternatieve kenmerken" (one);
  "een waarde hebben tussen 150 EUR en 5000 EUR ATI" includes both ends; "nog niet geleverd
  zijn 5 kalenderdagen na afloop van de leveringstermijn": promised 1 March, still not
  delivered at the end of 6 March (delivered on the 7th, or undelivered and declared on the
  7th) qualifies; delivered on the 6th does not.
* LA-9 "cumulatieve kenmerken": online, professional in BE/FR/LU/DE/NL; "alternatieve":
  badly or not performed (the facts' ``defect`` is always one of them).
* LA-10 exclusions: ``exclusions.EPROTECTION_EXCLUSIONS`` by scope; "collectieve acties van
  een groep van minimum 10 personen" (10 refused, 9 not); e-reputation "op een andere
  communicatiedrager dan een blog, forum, sociaal netwerk, website".
* LA-11 ceilings, see ``ceilings``.
* LA-12 "voorafgaand akkoord bekomen van LAR ALVORENS een rechtsgeding in te stellen"; costs
  "zonder ons te waarschuwen" are not covered -> covered_in_part. ``objectivity_refund``.
* LA-13 territory (``territory``): e-reputation host and defence in the EU + CH, MC, AD, SM,
  VA, LI, NO; identity theft and payment fraud defended there; e-merchant covers defended in
  BE/FR/LU/DE/NL; always "in België gedomicilieerd ... en er gewoonlijk verblijft".
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal, cast

from mylm_shared.kernel.money import to_cents

from claims.domain.contract import Contract
from claims.domain.dates import add_days, add_months
from claims.domain.decision import Assessment, Limit
from claims.domain.exclusions import EPROTECTION_EXCLUSIONS, EXCLUSION_SCOPES
from claims.domain.facts import (
    EPROTECTION_COVERS,
    STAGES,
    Claim,
    ConnectedObjectFacts,
    EMerchantGoodsFacts,
    EMerchantServiceFacts,
    EProtectionCover,
    EProtectionFacts,
    EReputationFacts,
    IdentityTheftFacts,
    PaymentFraudFacts,
    Stage,
)
from claims.domain.territory import EU_PLUS, MERCHANT_COUNTRIES

WAITING_MONTHS = 1
MIN_STAKE = Decimal("150.00")  # refused when the stake does not exceed it
CASSATION_MIN_STAKE = Decimal("1240.00")
GOODS_MIN = Decimal("150.00")
GOODS_MAX = Decimal("5000.00")
LATE_DELIVERY_DAYS = 5
CLASS_ACTION_MIN = 10
SALARY_LOSS_DAYS = 5
PHONE_PER_MONTH = Decimal("30.00")
INDEMNITY_CAP = Decimal("5000.00")

# LA-11, the table "Bedrag van onze dekking".
GROUP_I: dict[Stage, Decimal] = {  # "Verdediging van de belangen van de verzekerde"
    "expertise": Decimal("2500.00"),
    "first_instance": Decimal("5750.00"),
    "appeal": Decimal("5750.00"),
    "cassation": Decimal("1750.00"),
}
CLEANING = Decimal("5000.00")  # "tenlastename van opkuis en verdringing van informatie"
GROUP_II: dict[EProtectionCover, Decimal] = {  # "Vergoeding van de geleden schade"
    "identity_theft": Decimal("5000.00"),
    "payment_fraud": Decimal("5000.00"),
    "e_merchant_goods": Decimal("5000.00"),
}
MEDIATION = Decimal("1.10")  # "vermeerderd met 10% ... niet van toepassing voor ... groep II"


def check_subscription(
    contract: Contract, claim: Claim, facts: EProtectionFacts, a: Assessment
) -> None:
    """LA-1 and LA-2: the contract-level conditions of every e-protection claim."""
    a.met("LA-1")
    if not contract.e_protection:
        a.reject(
            "LA-1",
            "De dekking e-protection is niet onderschreven in de bijzondere voorwaarden.",
            "La garantie e-protection n'est pas souscrite dans les conditions particulières.",
        )
    first, until = contract.insurance_year(claim.event_date)
    earlier = [
        p
        for p in contract.prior_claims
        if p.counts and p.cover in EPROTECTION_COVERS and first <= p.event_date < until
    ]
    if earlier:
        a.reject(
            "LA-1",
            f"Er is al een schadegeval e-protection in het verzekeringsjaar {first} - "
            f"{add_days(until, -1)} (één per verzekeringsjaar).",
            f"Un sinistre e-protection existe déjà pour l'année d'assurance {first} - "
            f"{add_days(until, -1)} (un par année d'assurance).",
        )
    a.met("LA-2")
    waiting_ends = add_months(contract.start_date, WAITING_MONTHS)
    if claim.event_date < waiting_ends:
        a.reject(
            "LA-2",
            f"Gebeurtenis tijdens de wachttijd van 1 maand (gedekt vanaf {waiting_ends}).",
            f"Événement pendant le délai d'attente d'un mois (couvert à partir du {waiting_ends}).",
        )
    if facts.known_at_subscription:
        a.reject(
            "LA-2",
            "Het geschil was gekend bij de afsluiting van e-protection.",
            "Le litige était connu lors de la souscription d'e-protection.",
        )


def check_eprotection(
    contract: Contract, claim: Claim, facts: EProtectionFacts, a: Assessment
) -> None:
    _stake(facts, a)
    _territory(facts, a)
    _exclusions(facts, a)
    if isinstance(facts, IdentityTheftFacts | PaymentFraudFacts):
        _fraud(facts, a)
    elif isinstance(facts, EReputationFacts):
        _reputation(facts, a)
    elif isinstance(facts, EMerchantGoodsFacts):
        _goods(claim, facts, a)
    elif isinstance(facts, EMerchantServiceFacts):
        _service(facts, a)
    elif isinstance(facts, ConnectedObjectFacts):
        _connected(facts, a)
    a.met("LA-12")
    if facts.proceedings_without_agreement:
        a.limit(
            "LA-12",
            "Kosten van stappen zonder voorafgaand akkoord van LAR zijn niet gedekt.",
            "Les frais de démarches sans accord préalable de LAR ne sont pas couverts.",
        )
    ceilings(facts, a)


def _stake(facts: EProtectionFacts, a: Assessment) -> None:
    a.met("LA-4")
    if facts.principal_stake <= MIN_STAKE:
        a.reject(
            "LA-4",
            f"De hoofdinzet ({facts.principal_stake} EUR) overschrijdt 150 EUR niet.",
            f"L'enjeu principal ({facts.principal_stake} EUR) ne dépasse pas 150 EUR.",
        )


def _covers_touched(facts: EProtectionFacts) -> set[EProtectionCover]:
    touched: set[EProtectionCover] = set(facts.related_covers)
    touched.add(cast(EProtectionCover, facts.cover))
    if isinstance(facts, ConnectedObjectFacts):
        touched.add(facts.leads_to)
    return touched


def _territory(facts: EProtectionFacts, a: Assessment) -> None:
    a.met("LA-13")
    if not facts.insured_lives_in_belgium:
        a.reject(
            "LA-13",
            "De verzekerde moet in België gedomicilieerd zijn en er gewoonlijk verblijven.",
            "L'assuré doit être domicilié en Belgique et y résider habituellement.",
        )
    touched = _covers_touched(facts)
    merchant = touched & {"e_merchant_goods", "e_merchant_service"}
    allowed = MERCHANT_COUNTRIES if merchant else EU_PLUS
    if facts.defence_country not in allowed:
        a.reject(
            "LA-13",
            f"De verdediging gebeurt buiten het verzekeringsgebied ({facts.defence_country}).",
            f"La défense a lieu hors du territoire couvert ({facts.defence_country}).",
        )
    if isinstance(facts, EReputationFacts) and facts.host_country not in EU_PLUS:
        a.reject(
            "LA-13",
            f"De site heeft geen zetel of filiaal in de EU, CH, MC, AD, SM, VA, LI of NO "
            f"({facts.host_country}).",
            f"Le site n'a ni siège ni filiale dans l'UE, CH, MC, AD, SM, VA, LI ou NO "
            f"({facts.host_country}).",
        )


def _exclusions(facts: EProtectionFacts, a: Assessment) -> None:
    a.met("LA-10")
    cover = facts.cover
    for code in sorted(facts.exclusions):
        info = EPROTECTION_EXCLUSIONS[code]
        if cover not in EXCLUSION_SCOPES[info.scope]:
            raise ValueError(f"LA-10: exclusion {code!r} does not apply to {cover}")
        a.reject(
            info.exclusion.rule,
            f"Uitsluiting: \u201c{info.exclusion.source}\u201d.",
            f"Exclusion des conditions générales ({code}).",
        )
    if facts.class_action_members >= CLASS_ACTION_MIN:
        a.reject(
            "LA-10",
            f"Collectieve actie van {facts.class_action_members} personen (minimum 10).",
            f"Action collective de {facts.class_action_members} personnes (minimum 10).",
        )
    if isinstance(facts, EReputationFacts) and facts.medium == "other":
        a.reject(
            "LA-10",
            "Enkel aantasting op een blog, forum, sociaal netwerk of website is gedekt.",
            "Seule une atteinte sur un blog, forum, réseau social ou site web est couverte.",
        )


def _fraud(facts: IdentityTheftFacts | PaymentFraudFacts, a: Assessment) -> None:
    a.met("LA-5")
    if isinstance(facts, PaymentFraudFacts) and facts.instrument not in (
        "cheque",
        "bank_card",
        "electronic_money",
    ):
        a.reject(
            "LA-5",
            "Enkel cheques (geen reischeques, restaurant- of ecocheques), bankkaarten en "
            "elektronisch geld.",
            "Uniquement chèques (hors chèques de voyage, repas ou éco), cartes bancaires et "
            "monnaie électronique.",
        )
    if isinstance(facts, IdentityTheftFacts) and facts.card_number_debited:
        a.reject(
            "LA-5",
            "Er werd gedebiteerd met het kaartnummer: aan te geven als frauduleus gebruik van "
            "betaalmiddelen.",
            "Le numéro de carte a été débité : à déclarer comme utilisation frauduleuse de "
            "moyens de paiement.",
        )
    a.met("LA-6")
    if facts.salary_loss_days > SALARY_LOSS_DAYS:
        a.limit("LA-6", "Loonverlies beperkt tot 5 dagen.", "Perte de salaire limitée à 5 jours.")
    if facts.phone_costs_per_month > PHONE_PER_MONTH:
        a.limit(
            "LA-6",
            "Extra telefoniekosten beperkt tot 30 EUR per maand.",
            "Frais de téléphonie supplémentaires limités à 30 EUR par mois.",
        )
    if facts.claimed_amount > INDEMNITY_CAP:
        a.limit(
            "LA-6",
            "Vergoeding beperkt tot 5.000 EUR per schadegeval en per verzekeringsjaar.",
            "Indemnité limitée à 5.000 EUR par sinistre et par année d'assurance.",
        )


def _reputation(facts: EReputationFacts, a: Assessment) -> None:
    a.met("LA-7")
    if not facts.responsible_identified:
        a.reject(
            "LA-7",
            "Het geschil moet gericht zijn tegen een persoon aansprakelijk voor de aantasting.",
            "Le litige doit viser une personne responsable de l'atteinte.",
        )
    asked = facts.cleaning_requested or facts.drowning_requested
    if asked and facts.responsible_country not in EU_PLUS:
        a.limit(
            "LA-7",
            "Opkuisen of verdringen van informatie enkel als de aansprakelijke in de EU, CH, "
            f"MC, AD, SM, VA, LI of NO verblijft ({facts.responsible_country}); de "
            "verdediging blijft gedekt.",
            "Nettoyage ou noyage d'informations uniquement si le responsable réside dans "
            f"l'UE, CH, MC, AD, SM, VA, LI ou NO ({facts.responsible_country}) ; la défense "
            "reste couverte.",
        )
    if facts.drowning_requested and not (facts.removal_failed and facts.complaint_filed):
        a.limit(
            "LA-7",
            "Verdringen van informatie enkel als verwijderen onmogelijk bleek en na klacht.",
            "Le noyage d'informations uniquement si la suppression a échoué et après plainte.",
        )


def _goods(claim: Claim, facts: EMerchantGoodsFacts, a: Assessment) -> None:
    a.met("LA-8")
    missing = [
        (nl, fr)
        for ok, nl, fr in (
            (facts.transportable, "vervoerbaar", "transportable"),
            (facts.bought_online, "op het internet gekocht", "acheté sur internet"),
            (facts.new, "nieuw", "neuf"),
            (
                GOODS_MIN <= facts.price <= GOODS_MAX,
                "waarde tussen 150 en 5.000 EUR",
                "valeur entre 150 et 5.000 EUR",
            ),
            (
                facts.seller_professional and facts.seller_country in MERCHANT_COUNTRIES,
                "professionele verkoper in BE, FR, LU, DE of NL",
                "vendeur professionnel en BE, FR, LU, DE ou NL",
            ),
            (
                facts.delivery_method != "other",
                "levering per aangetekende post of privé-vervoerder",
                "livraison par envoi suivi ou transporteur privé",
            ),
            (facts.delivery_country == "BE", "geleverd in België", "livré en Belgique"),
        )
        if not ok
    ]
    if missing:
        a.reject(
            "LA-8",
            "Niet voldaan aan de cumulatieve kenmerken: " + ", ".join(m[0] for m in missing) + ".",
            "Caractéristiques cumulatives non remplies : " + ", ".join(m[1] for m in missing) + ".",
        )
    if facts.defect == "not_delivered" and not _late_delivery(claim.declared_on, facts):
        a.reject(
            "LA-8",
            "Nog geen 5 kalenderdagen na de beloofde leveringsdatum verstreken.",
            "Les 5 jours calendrier après la date de livraison promise ne sont pas écoulés.",
        )


def _late_delivery(declared_on: date, facts: EMerchantGoodsFacts) -> bool:
    if facts.promised_delivery_on is None:
        return False
    last_day = add_days(facts.promised_delivery_on, LATE_DELIVERY_DAYS)
    arrived = facts.delivered_on
    return arrived > last_day if arrived is not None else declared_on > last_day


def _service(facts: EMerchantServiceFacts, a: Assessment) -> None:
    a.met("LA-9")
    if not (
        facts.bought_online
        and facts.seller_professional
        and facts.seller_country in MERCHANT_COUNTRIES
    ):
        a.reject(
            "LA-9",
            "De dienst moet online gekocht zijn bij een professional in BE, FR, LU, DE of NL.",
            "Le service doit être acheté en ligne auprès d'un professionnel en BE, FR, LU, DE "
            "ou NL.",
        )


def _connected(facts: ConnectedObjectFacts, a: Assessment) -> None:
    a.met("LA-5")
    if facts.leads_to == "connected_object":
        raise ValueError("LA-5: a connected object's defect leads to one of the other covers")


def ceilings(facts: EProtectionFacts, a: Assessment) -> None:
    """LA-11, table "Bedrag van onze dekking", item by item (issue 16 item 2).

    * Group I, "Verdediging van de belangen van de verzekerde* **": one amount per stage —
      expertise 2,500, first instance 5,750, appeal 5,750, cassation 1,750 — so a dispute
      through expertise, first instance and appeal has 2,500 + 5,750 + 5,750 (one ``Limit``
      per stage, ``defence_<stage>``); "* Buiten de aankoop van een materieel roerend goed
      bij een e-handelaar": no judicial defence for e-merchant goods (amicable only).
      E-reputation "tenlastename van opkuis en verdringing van informatie": 5,000 (LA-7),
      in Group I as DOMAIN.md reads the table.
    * Group II, "Vergoeding van de geleden schade": identity theft, payment fraud,
      e-merchant goods: 5,000 each (``indemnity_<cover>``).
    * "Verdelingsprincipe": "Binnen de eventualiteit waarin een schadegeval betrekking heeft
      op meerdere dekkingen binnen eenzelfde groep, zal slechts het grootste bedrag van de
      prestatie verzekerd per groep van toepassing zijn": across the *covers* (dekkingen)
      a claim touches, per group, only the cover with the largest amount counts (equal
      amounts: one of them). The stages are one cover's amounts, not several covers: they
      add up (docs/rules.md LA-11).
    * Recognised mediation: "vermeerderd met 10% ... niet van toepassing voor de dekkingen
      van groep II": every Group I amount + 10 %, no Group II amount.

    ``Decision.ceiling`` is the sum of the limits; amicable handling alone has none.
    """
    a.met("LA-11")
    touched = _covers_touched(facts)
    mediation = MEDIATION if facts.recognised_mediation else Decimal(1)
    stages = set(facts.stages)
    if stages and touched == {"e_merchant_goods"}:
        a.limit(
            "LA-11",
            "Gerechtelijke verdediging is niet gedekt bij aankoop van een goed bij een "
            "e-handelaar.",
            "La défense judiciaire n'est pas couverte pour l'achat d'un bien auprès d'un "
            "e-commerçant.",
        )
        stages = set()
    if "cassation" in stages and facts.principal_stake < CASSATION_MIN_STAKE:
        a.limit(
            "LA-4",
            "Cassatiekosten niet gedekt: hoofdinzet lager dan 1.240 EUR.",
            "Frais de cassation non couverts : enjeu principal inférieur à 1.240 EUR.",
        )
        stages.discard("cassation")
    cleaning = _cleaning_granted(facts)
    group_i = {cover: _group_i(cover, stages, cleaning) for cover in sorted(touched)}
    largest = max(group_i.values(), key=lambda items: sum(x.amount for x in items), default=[])
    for item in largest:
        a.cap(Limit(item.item, _money(item.amount * mediation), item.rule))
    indemnities = [(GROUP_II[c], c) for c in sorted(touched) if c in GROUP_II]
    if indemnities:
        amount, cover = max(indemnities, key=lambda pair: pair[0])
        a.cap(Limit(f"indemnity_{cover}", amount, "LA-11"))
    a.ceiling = sum((x.amount for x in a.limits if x.amount is not None), Decimal("0.00"))
    if not a.limits:
        a.ceiling = None


@dataclass(frozen=True)
class _Item:
    item: str
    amount: Decimal
    rule: str


def _group_i(cover: EProtectionCover, stages: set[Stage], cleaning: bool) -> list[_Item]:
    """One cover's Group I amounts: each judicial stage (not for e-merchant goods) and,
    for e-reputation, the cleaning or drowning of information."""
    items = (
        [_Item(f"defence_{s}", GROUP_I[s], "LA-11") for s in STAGES if s in stages]
        if cover != "e_merchant_goods"
        else []
    )
    if cover == "e_reputation" and cleaning:
        items.append(_Item("e_reputation_cleaning", CLEANING, "LA-7"))
    return items


def _cleaning_granted(facts: EProtectionFacts) -> bool:
    if not isinstance(facts, EReputationFacts):
        return False
    if not (facts.cleaning_requested or facts.drowning_requested):
        return False
    return facts.responsible_country in EU_PLUS and (
        facts.cleaning_requested or (facts.removal_failed and facts.complaint_filed)
    )


def _money(value: Decimal) -> Decimal:
    return to_cents(value, rounding=ROUND_HALF_EVEN)


LawyerConfirms = Literal["insurer", "insured"]


def objectivity_refund(
    consultation_costs: Decimal, lawyer_confirms: LawyerConfirms, better_result: bool = False
) -> Decimal:
    """LA-12 objectivity clause: "Bevestigt de advocaat ons standpunt, dan betalen wij de
    helft van de kosten en honoraria van de raadpleging terug"; if the insured then sues
    and "behaalt hij een beter resultaat", the balance too; "Bevestigt de advocaat de
    stelling van de verzekerde, dan verlenen wij onze dekking, inclusief de kosten"."""
    if lawyer_confirms == "insured" or better_result:
        return _money(consultation_costs)
    return _money(consultation_costs / 2)
