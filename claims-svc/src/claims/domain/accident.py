"""Private-life accident cover (PA-1..PA-6, PA-9, PA-10).

* PA-1 threshold: covered when the permanent disability is "gelijk of hoger dan de
  vermelde tegemoetkomingsgrens" (Woordenlijst: threshold 5 %, disability 5 % -> "komen wij
  tussen"), so ``disability_pct >= threshold_pct``; or on death, "op voorwaarde dat het
  overlijden het exclusieve gevolg is van het ongeval". Before consolidation the degree is
  unknown: the claim is covered and flagged "threshold checked at consolidation".
* PA-6 aesthetic damage: "de blijvende esthetische schade, zelfs als de blijvende
  ongeschiktheid lager is dan het gekozen grensbedrag, dit voor zover deze op minstens 3
  geraamd wordt op een schaal van 1 tot 7": below the threshold, 3/7 gives covered_in_part
  (only that damage), 2/7 a rejection. "Geen enkele vergoeding ... voor de kosten en de
  tijdelijke schade van vóór de consolidatie"; a pre-existing condition: "enkel de gevolgen
  ... die dit ongeval zou hebben gehad zonder deze verzwaringen".
* PA-2 motor traffic: excluded unless "een vierwieler besturen die zij gehuurd hebben voor
  een periode van minder dan drie opeenvolgende maanden", "jonger dan 12 jaar een
  motorrijtuig voor kinderen besturen", "een zelfdragend tuintoestel of een gemotoriseerde
  rolstoel besturen".
* PA-3 territory: "elk ongeval gebeurd in een Lidstaat van de Europese Unie ... uitgebreid
  tot de hele wereld voor reizen en een verblijf in het buitenland wanneer een opeenvolgende
  periode van drie maanden niet wordt overschreden". Read in the insured's favour (issue
  16, docs/rules.md PA-3): the three months are those of the stay up to the accident, so
  an accident outside the EU is covered when it happens at most three months (art. 1.7,
  ``territory``) after the first day abroad, whether the return date is known, later, or
  unknown; an unknown return is never a refusal. Without a departure date nothing can be
  counted: covered, and flagged for staff to check.
* PA-4 exclusions: ``exclusions.ACCIDENT_EXCLUSIONS``.
* PA-5 "ten belope van 1.000.000 EUR per ongeval, en per verzekerde slachtoffer. De
  begrafeniskosten blijven evenwel beperkt tot 5.000 EUR" (5,000.00 in full, 5,000.01
  capped); beneficiaries' income loss and moral damage "In de formule familie" only.
* PA-9 "de vergoeding zal gebeuren onder aftrek van de vergoedingsuitkeringen" by others.
"""

from decimal import ROUND_HALF_EVEN, Decimal

from mylm_shared.kernel.money import to_cents

from claims.domain.contract import Contract
from claims.domain.decision import Assessment, Limit
from claims.domain.exclusions import ACCIDENT_EXCLUSIONS
from claims.domain.facts import AccidentCircumstances, AccidentFacts, Claim
from claims.domain.territory import EU, less_than_months, not_exceeding_months

PER_ACCIDENT_CAP = Decimal("1000000.00")
FUNERAL_CAP = Decimal("5000.00")
AESTHETIC_MIN = 3  # "op minstens 3 ... op een schaal van 1 tot 7"
TRIP_MONTHS = 3
RENTAL_MONTHS = 3
CHILD_DRIVER_AGE = 12  # "jonger dan 12 jaar"


def check_accident(contract: Contract, claim: Claim, facts: AccidentFacts, a: Assessment) -> None:
    check_circumstances(claim, facts, a)
    check_territory(claim, facts, a)
    _threshold(contract, facts, a)
    _amounts(contract, facts, a)


def check_circumstances(claim: Claim, facts: AccidentCircumstances, a: Assessment) -> None:
    """PA-2 and PA-4: what makes an accident a covered accident, for accident and assistance."""
    a.met("PA-2")
    if facts.motor_vehicle_traffic and not _motor_exception_applies(facts):
        a.reject(
            "PA-2",
            "Verkeersongevallen met een motorrijtuig zijn uitgesloten (geen van de "
            "uitzonderingen is van toepassing).",
            "Les accidents de la circulation impliquant un véhicule automoteur sont exclus "
            "(aucune des exceptions ne s'applique).",
        )
    a.met("PA-4")
    for code in sorted(facts.exclusions):
        exclusion = ACCIDENT_EXCLUSIONS[code]
        nl = f"Uitsluiting: \u201c{exclusion.source}\u201d."
        fr = f"Exclusion des conditions générales ({code})."
        if exclusion.effect == "whole":
            a.reject(exclusion.rule, nl, fr)
        else:
            a.limit(exclusion.rule, nl, fr)


def _motor_exception_applies(facts: AccidentCircumstances) -> bool:
    if facts.motor_exception == "garden_or_wheelchair":
        return True
    if facts.motor_exception == "child_motor_vehicle":
        return facts.driver_age is not None and facts.driver_age < CHILD_DRIVER_AGE
    if facts.motor_exception == "rented_four_wheeler":
        first, last = facts.rental_starts_on, facts.rental_ends_on
        return (
            first is not None and last is not None and less_than_months(first, last, RENTAL_MONTHS)
        )
    return False


def check_territory(claim: Claim, facts: AccidentCircumstances, a: Assessment) -> None:
    """PA-3: EU, or worldwide while the stay abroad has not exceeded three consecutive
    months on the accident day (the return date does not matter, known or not)."""
    a.met("PA-3")
    if facts.country in EU:
        return
    first, last = facts.trip_departed_on, facts.trip_ends_on
    if first is None:
        a.flag(
            "PA-3",
            "Vertrekdatum onbekend: na te gaan of het verblijf op de dag van het ongeval "
            "drie opeenvolgende maanden niet overschreed.",
            "Date de départ inconnue : à vérifier que le séjour ne dépassait pas trois mois "
            "consécutifs le jour de l'accident.",
        )
        return
    during_trip = first <= claim.event_date and (last is None or claim.event_date <= last)
    if during_trip and not_exceeding_months(first, claim.event_date, TRIP_MONTHS):
        return
    a.reject(
        "PA-3",
        "Buiten de Europese Unie is een ongeval alleen gedekt tijdens de eerste drie "
        "opeenvolgende maanden van een verblijf in het buitenland.",
        "Hors de l'Union européenne, un accident n'est couvert que pendant les trois "
        "premiers mois consécutifs d'un séjour à l'étranger.",
    )


def _threshold(contract: Contract, facts: AccidentFacts, a: Assessment) -> None:
    a.met("PA-1")
    if facts.died:
        if not facts.death_solely_from_accident:
            a.reject(
                "PA-1",
                "Het overlijden is niet het exclusieve gevolg van het ongeval.",
                "Le décès n'est pas la conséquence exclusive de l'accident.",
            )
        return
    if facts.disability_pct is None:
        a.flag(
            "PA-1",
            f"De tegemoetkomingsgrens van {contract.threshold_pct} % wordt getoetst na "
            "consolidatie.",
            f"Le seuil d'intervention de {contract.threshold_pct} % sera vérifié après "
            "consolidation.",
        )
        return
    if facts.disability_pct >= contract.threshold_pct:
        return
    a.met("PA-6")
    if facts.aesthetic_damage is not None and facts.aesthetic_damage >= AESTHETIC_MIN:
        a.limit(
            "PA-6",
            f"Blijvende ongeschiktheid {facts.disability_pct} % onder de grens van "
            f"{contract.threshold_pct} %: enkel de esthetische schade "
            f"({facts.aesthetic_damage}/7) wordt vergoed.",
            f"Invalidité permanente de {facts.disability_pct} % sous le seuil de "
            f"{contract.threshold_pct} % : seul le dommage esthétique "
            f"({facts.aesthetic_damage}/7) est indemnisé.",
        )
        return
    a.reject(
        "PA-1",
        f"Blijvende ongeschiktheid {facts.disability_pct} % lager dan de "
        f"tegemoetkomingsgrens van {contract.threshold_pct} %.",
        f"Invalidité permanente de {facts.disability_pct} % inférieure au seuil "
        f"d'intervention de {contract.threshold_pct} %.",
    )


def _amounts(contract: Contract, facts: AccidentFacts, a: Assessment) -> None:
    a.cap(Limit("per_accident_per_victim", PER_ACCIDENT_CAP, "PA-5"))
    a.ceiling = PER_ACCIDENT_CAP
    if facts.claimed_amount is not None and facts.claimed_amount > PER_ACCIDENT_CAP:
        a.limit(
            "PA-5",
            "Alle posten samen beperkt tot 1.000.000 EUR per ongeval en per slachtoffer.",
            "Tous postes confondus, limité à 1.000.000 EUR par accident et par victime.",
        )
    if facts.died:
        a.cap(Limit("funeral_costs", FUNERAL_CAP, "PA-5"))
    if facts.funeral_costs is not None and facts.funeral_costs > FUNERAL_CAP:
        a.limit(
            "PA-5",
            f"Begrafeniskosten {facts.funeral_costs} EUR beperkt tot 5.000 EUR.",
            f"Frais funéraires de {facts.funeral_costs} EUR limités à 5.000 EUR.",
        )
    if facts.relatives_damage_claimed and contract.formula != "family":
        a.limit(
            "PA-5",
            "Inkomensverlies en morele schade van de nabestaanden zijn enkel gedekt in de "
            "formule familie.",
            "La perte de revenus et le dommage moral des ayants droit ne sont couverts "
            "qu'en formule famille.",
        )
    if facts.pre_consolidation_costs_claimed:
        a.limit(
            "PA-6",
            "Geen vergoeding voor kosten en tijdelijke schade van vóór de consolidatie.",
            "Aucune indemnité pour les frais et le dommage temporaire avant consolidation.",
        )
    if facts.pre_existing_condition:
        a.limit(
            "PA-6",
            "Enkel de gevolgen die het ongeval zou hebben gehad zonder de vroegere toestand.",
            "Seules les conséquences qu'aurait eues l'accident sans l'état antérieur.",
        )
    a.met("PA-9")
    if facts.benefits_received > 0:
        a.limit(
            "PA-9",
            f"Reeds ontvangen uitkeringen ({facts.benefits_received} EUR) worden afgetrokken.",
            f"Les prestations déjà reçues ({facts.benefits_received} EUR) sont déduites.",
        )


def medical_expertise_share(own_doctor_fees: Decimal, third_doctor_fees: Decimal) -> Decimal:
    """PA-10: "Iedere partij draagt de erelonen van de raadsgeneesheer die zij heeft
    aangesteld alsmede de helft van de uitgaven en erelonen van de derde geneesheer"."""
    return to_cents(own_doctor_fees + third_doctor_fees / 2, rounding=ROUND_HALF_EVEN)
