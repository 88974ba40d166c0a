"""The special conditions ("bijzondere voorwaarden") of a contract, per language: what
they state, as data; ``adapters/conditions_pdf.py`` lays them out.

The general conditions (seed, "Documenten die het verzekeringscontract vormen"): the
special conditions "zijn de weergave van de gepersonaliseerde en aan uw specifieke toestand
aangepaste verzekeringsvoorwaarden en vermelden de dekkingen die effectief verleend worden".
So they state: insurer and product, policy number, policyholder, formula, the covers
granted (PC-1: e-protection only if chosen), the intervention threshold, the start date
with PC-4's condition, the one-year term with tacit renewal and the 3-month objection
(PC-5), the premium (PC-8) and that it is not indexed (PC-12), the insured persons on the
start date with their rule (PC-2/PC-3) and the date of signature.

A proposal gets the same content titled as a proposal ("not signed yet"): the member reads
what they are asked to accept. Same facts, same text: nothing here reads the clock.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from babel.dates import format_date
from mylm_shared.kernel.formatting import LOCALES, euro

from policy.domain.insured import InsuredAnswer
from policy.domain.policy import Policy
from policy.domain.product import ACCIDENT, ASSISTANCE, E_PROTECTION
from policy.domain.terms import due_date, objection_deadline

Language = Literal["nl", "fr", "de"]
LANGUAGES: tuple[Language, ...] = ("nl", "fr", "de")

# The insured person's category, read from insured.py's reason (tests pin each one).
Category = Literal["policyholder", "partner", "child_in", "minor_elsewhere", "student"]
_CATEGORY_OF_REASON: tuple[tuple[str, Category], ...] = (
    ("policyholder", "policyholder"),
    ("cohabiting spouse or partner", "partner"),
    ("child living with the policyholder", "child_in"),
    ("minor child living elsewhere", "minor_elsewhere"),
    ("unmarried student under 26", "student"),
)


@dataclass(frozen=True)
class Texts:
    """Every sentence and label of the document in one language (none may be missing)."""

    title: str
    proposal_title: str
    product: str
    insurer: str
    policy_number: str
    policyholder: str
    born_on: str
    formula: str
    formulas: dict[str, str]
    covers: str
    cover_names: dict[str, str]
    threshold: str
    threshold_value: str  # {pct}
    period: str
    start: str
    start_condition: str  # PC-4
    term: str
    term_value: str  # {expiry}
    renewal: str  # PC-5, {deadline}
    premium: str
    net: str
    taxes: str
    contributions: str
    total: str
    premium_due: str  # PC-8, {start}
    no_indexation: str  # PC-12
    insured_on: str  # {start}
    categories: dict[Category, str]
    nobody: str
    signature: str
    signed: str  # {signed}
    unsigned: str  # {proposed}
    ends: str
    footer: str


TEXTS: dict[Language, Texts] = {
    "nl": Texts(
        title="Bijzondere voorwaarden",
        proposal_title="Voorstel van bijzondere voorwaarden",
        product="Ongevallen privé-leven met hulpverlening",
        insurer="Verzekeraar: AXA Belgium, NV van verzekeringen toegelaten onder het nr. 0039, "
        "Vorstlaan 25, 1170 Brussel",
        policy_number="Polisnummer",
        policyholder="Verzekeringnemer",
        born_on="geboren op",
        formula="Formule",
        formulas={"single": "single", "family": "familie"},
        covers="Dekkingen",
        cover_names={
            ACCIDENT: "Ongevallen privé-leven",
            ASSISTANCE: "Hulpverlening (24 uur op 24: 02/550 05 55)",
            E_PROTECTION: 'Rechtsbijstand "e-protection" (beheerd door LAR)',
        },
        threshold="Tegemoetkomingsgrens",
        threshold_value="{pct} % blijvende ongeschiktheid",
        period="Aanvang en duur",
        start="Aanvangsdatum",
        start_condition="De dekking neemt aanvang op deze datum, voor zover de eerste premie "
        "werd betaald. Enkel de ongevallen gebeurd na de aanvangsdatum worden in aanmerking "
        "genomen.",
        term="Duur",
        term_value="1 jaar, tot de jaarlijkse vervaldag van {expiry}",
        renewal="Het contract wordt stilzwijgend verlengd voor opeenvolgende periodes van een "
        "jaar, behalve indien een van de partijen zich ertegen verzet bij een ter post "
        "aangetekende brief, bij deurwaardersexploot of door afgifte van een aangetekende "
        "brief tegen ontvangstbewijs ten minste drie maanden voor de vervaldag (voor de "
        "eerste vervaldag: uiterlijk op {deadline}).",
        premium="Jaarpremie",
        net="Nettopremie",
        taxes="Taksen",
        contributions="Bijdragen en kosten",
        total="Totaal",
        premium_due="De premie is jaarlijks vooraf betaalbaar; de eerste premie vervalt op "
        "{start}.",
        no_indexation="De verzekerde bedragen en de premie worden niet geïndexeerd.",
        insured_on="Verzekerde personen op {start}",
        categories={
            "policyholder": "verzekeringnemer",
            "partner": "samenwonende echtgeno(o)t(e) of partner",
            "child_in": "kind dat bij de verzekeringnemer inwoont",
            "minor_elsewhere": "minderjarig kind, elders wonend",
            "student": "ongehuwd studerend kind jonger dan 26 jaar, elders wonend",
        },
        nobody="niemand",
        signature="Ondertekening",
        signed="Ondertekend in My LM op {signed}",
        unsigned="Voorstel van {proposed}, nog niet ondertekend: aanvaard het in My LM.",
        ends="Einde van het contract",
        footer="Deze bijzondere voorwaarden vullen de algemene voorwaarden aan en heffen ze op "
        "daar waar zij tegenstrijdig zouden zijn.",
    ),
    "fr": Texts(
        title="Conditions particulières",
        proposal_title="Proposition de conditions particulières",
        product="Accidents de la vie privée avec assistance",
        insurer="Assureur : AXA Belgium, SA d'assurances agréée sous le n° 0039, "
        "boulevard du Souverain 25, 1170 Bruxelles",
        policy_number="Numéro de police",
        policyholder="Preneur d'assurance",
        born_on="né(e) le",
        formula="Formule",
        formulas={"single": "single", "family": "famille"},
        covers="Garanties",
        cover_names={
            ACCIDENT: "Accidents de la vie privée",
            ASSISTANCE: "Assistance (24 h sur 24 : 02/550 05 55)",
            E_PROTECTION: "Protection juridique « e-protection » (gérée par LAR)",
        },
        threshold="Seuil d'intervention",
        threshold_value="{pct} % d'invalidité permanente",
        period="Prise d'effet et durée",
        start="Date de prise d'effet",
        start_condition="La garantie prend cours à cette date, pour autant que la première "
        "prime ait été payée. Seuls les accidents survenus après la date de prise d'effet "
        "sont pris en considération.",
        term="Durée",
        term_value="1 an, jusqu'à l'échéance annuelle du {expiry}",
        renewal="Le contrat est reconduit tacitement pour des périodes successives d'un an, "
        "sauf si l'une des parties s'y oppose par lettre recommandée à la poste, par exploit "
        "d'huissier ou par remise d'une lettre recommandée contre récépissé au moins trois "
        "mois avant l'échéance (pour la première échéance : au plus tard le {deadline}).",
        premium="Prime annuelle",
        net="Prime nette",
        taxes="Taxes",
        contributions="Contributions et frais",
        total="Total",
        premium_due="La prime est payable annuellement et d'avance ; la première prime échoit "
        "le {start}.",
        no_indexation="Les montants assurés et la prime ne sont pas indexés.",
        insured_on="Personnes assurées au {start}",
        categories={
            "policyholder": "preneur d'assurance",
            "partner": "conjoint ou partenaire cohabitant",
            "child_in": "enfant vivant sous le toit du preneur d'assurance",
            "minor_elsewhere": "enfant mineur ne vivant pas sous le toit du preneur",
            "student": "enfant célibataire de moins de 26 ans aux études, ne vivant pas sous "
            "le toit du preneur",
        },
        nobody="personne",
        signature="Signature",
        signed="Signé dans My LM le {signed}",
        unsigned="Proposition du {proposed}, pas encore signée : acceptez-la dans My LM.",
        ends="Fin du contrat",
        footer="Les présentes conditions particulières complètent les conditions générales et "
        "les abrogent dans la mesure où elles leur seraient contraires.",
    ),
    "de": Texts(
        title="Besondere Bedingungen",
        proposal_title="Vorschlag der besonderen Bedingungen",
        product="Unfallversicherung Privatleben mit Assistance",
        insurer="Versicherer: AXA Belgium, AG, zugelassen unter der Nr. 0039, "
        "Boulevard du Souverain 25, 1170 Brüssel",
        policy_number="Policennummer",
        policyholder="Versicherungsnehmer",
        born_on="geboren am",
        formula="Formel",
        formulas={"single": "Single", "family": "Familie"},
        covers="Deckungen",
        cover_names={
            ACCIDENT: "Unfälle im Privatleben",
            ASSISTANCE: "Assistance (rund um die Uhr: 02/550 05 55)",
            E_PROTECTION: "Rechtsschutz „e-protection“ (verwaltet von LAR)",
        },
        threshold="Eingriffsschwelle",
        threshold_value="{pct} % dauernde Invalidität",
        period="Beginn und Laufzeit",
        start="Beginndatum",
        start_condition="Der Versicherungsschutz beginnt an diesem Datum, sofern die erste "
        "Prämie gezahlt wurde. Nur Unfälle nach dem Beginndatum werden berücksichtigt.",
        term="Laufzeit",
        term_value="1 Jahr, bis zur jährlichen Fälligkeit am {expiry}",
        renewal="Der Vertrag verlängert sich stillschweigend um jeweils ein Jahr, es sei denn, "
        "eine der Parteien widerspricht per Einschreiben, Gerichtsvollzieherurkunde oder "
        "Übergabe eines Einschreibens gegen Empfangsbestätigung mindestens drei Monate vor "
        "der Fälligkeit (für die erste Fälligkeit: spätestens am {deadline}).",
        premium="Jahresprämie",
        net="Nettoprämie",
        taxes="Steuern",
        contributions="Beiträge und Kosten",
        total="Gesamt",
        premium_due="Die Prämie ist jährlich im Voraus zahlbar; die erste Prämie ist am "
        "{start} fällig.",
        no_indexation="Die versicherten Beträge und die Prämie werden nicht indexiert.",
        insured_on="Versicherte Personen am {start}",
        categories={
            "policyholder": "Versicherungsnehmer",
            "partner": "im Haushalt lebender Ehe- oder Lebenspartner",
            "child_in": "im Haushalt des Versicherungsnehmers lebendes Kind",
            "minor_elsewhere": "minderjähriges Kind, das anderswo wohnt",
            "student": "unverheiratetes studierendes Kind unter 26 Jahren, das anderswo wohnt",
        },
        nobody="niemand",
        signature="Unterzeichnung",
        signed="In My LM unterzeichnet am {signed}",
        unsigned="Vorschlag vom {proposed}, noch nicht unterzeichnet: nehmen Sie ihn in My LM an.",
        ends="Vertragsende",
        footer="Diese besonderen Bedingungen ergänzen die allgemeinen Bedingungen und gehen "
        "ihnen vor, soweit sie ihnen widersprechen.",
    ),
}


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[tuple[str, str], ...] = ()  # (label, value)
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpecialConditions:
    language: Language
    title: str
    product: str
    insurer: str
    policy_id: str
    sections: tuple[Section, ...]
    footer: str

    def text(self) -> str:
        """Everything the document says, in reading order (tests, plain-text mail)."""
        out = [self.title, self.product, self.insurer]
        for section in self.sections:
            out += [section.heading] if section.heading else []
            out += [f"{label}: {value}" if label else value for label, value in section.lines]
            out += section.paragraphs
        out.append(self.footer)
        return "\n".join(out)


def category(answer: InsuredAnswer) -> Category | None:
    for prefix, found in _CATEGORY_OF_REASON:
        if answer.reason.startswith(prefix):
            return found
    return None


def special_conditions(policy: Policy, language: Language) -> SpecialConditions:
    t = TEXTS[language]

    def day(value: date) -> str:
        return str(format_date(value, "long", locale=LOCALES[language]))

    def amount(value: Decimal) -> str:
        return euro(value, language)

    start = day(policy.start_date)
    expiry = due_date(policy.start_date, 1)
    p = policy.premium
    holder = policy.holder_name
    if policy.holder_birth_date is not None:
        holder = f"{holder}, {t.born_on} {day(policy.holder_birth_date)}"
    contract = Section(
        "",
        (
            (t.policy_number, policy.policy_id),
            (t.policyholder, holder),
            (t.formula, t.formulas[policy.formula]),
            (t.threshold, t.threshold_value.format(pct=policy.threshold_pct)),
        ),
    )
    # PC-1: only the covers the contract holds are listed (e-protection if chosen).
    covers = Section(t.covers, tuple(("", t.cover_names[c]) for c in policy.covers))
    dates = Section(
        t.period,
        ((t.start, start), (t.term, t.term_value.format(expiry=day(expiry)))),
        (
            t.start_condition,  # PC-4
            t.renewal.format(deadline=day(objection_deadline(expiry))),  # PC-5
        ),
    )
    premium = Section(
        t.premium,
        (
            (t.net, amount(p.net)),
            (t.taxes, amount(p.taxes)),
            (t.contributions, amount(p.contributions)),
            (t.total, amount(p.total)),
        ),
        (t.premium_due.format(start=start), t.no_indexation),  # PC-8, PC-12
    )
    insured = Section(
        t.insured_on.format(start=start),
        tuple(_insured_line(t, a) for a in policy.insured(policy.start_date) if a.insured)
        or (("", t.nobody),),
    )
    signature_lines: list[tuple[str, str]] = [
        (
            "",
            t.signed.format(signed=day(policy.signed_on))
            if policy.signed_on
            else t.unsigned.format(proposed=day(policy.proposed_on)),
        )
    ]
    if policy.ending is not None:
        signature_lines.append((t.ends, day(policy.ending.effective_on)))
    signature = Section(t.signature, tuple(signature_lines))
    return SpecialConditions(
        language=language,
        title=t.title if policy.signed_on else t.proposal_title,
        product=t.product,
        insurer=t.insurer,
        policy_id=policy.policy_id,
        sections=(contract, covers, dates, premium, insured, signature),
        footer=t.footer,
    )


def _insured_line(t: Texts, answer: InsuredAnswer) -> tuple[str, str]:
    found = category(answer)
    described = t.categories[found] if found else answer.reason
    return answer.name, f"{described} ({answer.rule})"
