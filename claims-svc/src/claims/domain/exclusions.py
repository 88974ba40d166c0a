"""Every exclusion list of the seed as a closed set of codes (PA-4, AS-6, LA-10).

A claim's facts name the exclusions that apply to it (``facts.exclusions``); the engine
never guesses them. Each code maps to the Dutch words it stands for and to its effect:

* ``whole``: the claim is not covered (rejected);
* ``part``: only the named item is not covered, the rest is (covered_in_part). Used where
  the text excludes a cost item ("boetes ... zijn niet ten onze laste", "de aankoopprijs
  ... van protheses") or one person ("Enkel de betrokken begunstigde ... wordt
  uitgesloten").

Conditions the text states as facts with a boundary (class actions "van minimum 10
personen", pregnancy "na de 26e week", trips "van meer dan 90 dagen", the e-reputation
medium) are fact fields, not codes, so their boundaries can be checked.
"""

from dataclasses import dataclass
from typing import Literal, get_args

Effect = Literal["whole", "part"]


@dataclass(frozen=True)
class Exclusion:
    rule: str
    effect: Effect
    source: str  # the Dutch words of the seed


AccidentExclusion = Literal[
    "illness",
    "tropical_disease",
    "medical_accident_fund",
    "biomedical_experiment",
    "work_or_commute",
    "professional_sport",
    "political_or_union_mandate",
    "driving_compulsory_insured_vehicle",
    "traffic_offence_non_motor",
    "automatic_compensation",
    "intoxication",
    "active_participation_exceptional_event",
    "war",
    "nuclear",
    "suicide",
    "self_inflicted",
    "caused_by_beneficiary",
    "fines_and_penal_costs",
]

# PA-4, "6. Uitsluitingen" of the accident cover ("Wij dekken niet:").
ACCIDENT_EXCLUSIONS: dict[AccidentExclusion, Exclusion] = {
    "illness": Exclusion(
        "PA-4",
        "whole",
        "de ziektes ... behalve als deze ziektes rechtstreeks het gevolg zijn van het gedekt "
        "ongeval",
    ),
    "tropical_disease": Exclusion(
        "PA-4",
        "whole",
        "in alle gevallen ... chikungunya, knokkelkoorts, malaria, trypanosomiasis",
    ),
    "medical_accident_fund": Exclusion(
        "PA-4",
        "whole",
        "de medische (therapeutische) ongevallen ... ten laste genomen door dit Fonds",
    ),
    "biomedical_experiment": Exclusion(
        "PA-4", "whole", "de ongevallen ... als gevolg van biomedische experimenten"
    ),
    "work_or_commute": Exclusion(
        "PA-4", "whole", "de arbeidsongevallen en de ongevallen van en naar het werk"
    ),
    "professional_sport": Exclusion(
        "PA-4", "whole", "het uitoefenen van een sport in beroepsverband"
    ),
    "political_or_union_mandate": Exclusion(
        "PA-4", "whole", "de uitoefening van een politiek of syndicaal mandaat"
    ),
    "driving_compulsory_insured_vehicle": Exclusion(
        "PA-4",
        "whole",
        "wanneer hij een motorvoertuig bestuurt dat onderworpen is aan de verplichte "
        "verzekering inzake motorrijtuigen",
    ),
    "traffic_offence_non_motor": Exclusion(
        "PA-4",
        "whole",
        "een overtreding van de verkeersreglementering ... gebruiker van een "
        "verplaatsingsmiddel ander dan een landmotorvoertuig",
    ),
    "automatic_compensation": Exclusion(
        "PA-4",
        "whole",
        "een automatische vergoeding ... artikel 29 bis ... of de wet van 30 juli 1979",
    ),
    "intoxication": Exclusion(
        "PA-4",
        "whole",
        "dronkenschap of gelijkaardige toestand ... die ertoe leiden dat de verzekerde de "
        "controle over zijn daden verliest",
    ),
    "active_participation_exceptional_event": Exclusion(
        "PA-4", "whole", "de actieve deelname ... aan één van de uitzonderlijke gebeurtenissen"
    ),
    "war": Exclusion("PA-4", "whole", "ten tijde van oorlog, burgeroorlog"),
    "nuclear": Exclusion("PA-4", "whole", "de wijziging van de atoomkern, radioactiviteit"),
    "suicide": Exclusion("PA-4", "whole", "zelfmoord of zelfmoordpoging van de verzekerde"),
    "self_inflicted": Exclusion(
        "PA-4", "whole", "enige schade die de verzekerde zich opzettelijk heeft veroorzaakt"
    ),
    "caused_by_beneficiary": Exclusion(
        "PA-4",
        "part",
        "vrijwillig veroorzaakt door een begunstigde ... Enkel de betrokken begunstigde of "
        "medeplichtige wordt uitgesloten",
    ),
    "fines_and_penal_costs": Exclusion(
        "PA-4",
        "part",
        "de gerechtelijke, administratieve, economische boetes ... zijn niet ten onze laste",
    ),
}

AssistanceExclusion = Literal[
    "preventive_care",
    "non_riziv_treatment",
    "prostheses_glasses_lenses",
]

# AS-6, "7. Uitsluitingen" of assistance, besides PA-4 ("Naast de ... vermelde
# uitsluitingen"). Pregnancy and trips over 90 days are fact fields (boundaries).
ASSISTANCE_EXCLUSIONS: dict[AssistanceExclusion, Exclusion] = {
    "preventive_care": Exclusion("AS-6", "part", "voor de preventieve medische kosten en badkuren"),
    "non_riziv_treatment": Exclusion(
        "AS-6",
        "part",
        "voor de kosten van diagnose en de behandeling niet hernomen in de nomenclaturen van "
        "het RIZIV",
    ),
    "prostheses_glasses_lenses": Exclusion(
        "AS-6",
        "part",
        "voor de aankoopprijs en de herstelling van protheses, brillen en contactlenzen",
    ),
}

EProtectionExclusion = Literal[
    # common to all e-protection covers
    "intellectual_property",
    "customs_or_tax",
    "company_management",
    "payment_terms_adjustment",
    "paid_or_professional_activity",
    "political_or_union_activity",
    "complicity",
    "constitutional_revision",
    "card_code_disclosed",
    "card_blocked_late",
    "card_misused",
    "intentional_offence",
    "crime",
    "third_party_rights",
    "transferred_rights",
    "surety_or_mandate",
    "indemnity_owed_to_third_party",
    "against_other_insured",
    "false_statement",
    # identity theft, payment fraud, e-reputation, connected objects
    "by_insured_person",
    # e-reputation, connected objects
    "self_built_reputation",
    "voluntary_disclosure",
    "consequential_damage",
    "press_or_journalist",
    # e-merchant goods, connected objects: the goods bought
    "animals_or_plants",
    "jewellery_or_valuables",
    "securities_or_tickets",
    "perishables",
    "medicines",
    "weapons",
    "motor_vehicle",
    "digital_content",
    "industrial_or_resale_goods",
    "strike_lockout_sabotage",
    "illegal_goods",
    "unidentified_or_insolvent_merchant",
    # e-merchant goods and services, connected objects: how and what was bought
    "auction_site",
    "prohibited_by_law",
    "violent_pornographic_discriminatory",
    "disputed_price",
]

# Which sub-list of the seed an e-protection exclusion comes from (see EXCLUSION_SCOPES).
Scope = Literal["common", "identity", "reputation", "goods", "purchase"]
_COMMON: Scope = "common"  # "GEMEENSCHAPPELIJKE UITSLUITINGEN VOOR ALLE DEKKINGEN"
_IDENTITY: Scope = "identity"  # identity theft, payment fraud, e-reputation, connected objects
_REPUTATION: Scope = "reputation"  # e-reputation, connected objects
_GOODS: Scope = "goods"  # e-merchant goods, connected objects
_PURCHASE: Scope = "purchase"  # e-merchant goods and services, connected objects


@dataclass(frozen=True)
class EProtectionExclusionInfo:
    scope: Scope
    exclusion: Exclusion


def _la10(scope: Scope, source: str, rule: str = "LA-10") -> EProtectionExclusionInfo:
    return EProtectionExclusionInfo(scope, Exclusion(rule, "whole", source))


# LA-10, "Uitsluitingen" of e-protection; "against_other_insured" and "false_statement" come
# from "Bedrag van onze dekking" and "DE DEKKINGSVOORWAARDEN". "niet op internet gekocht" is
# the ``bought_online`` fact of LA-8/LA-9; "de diensten waarvan de handel verboden is" is
# folded into ``prohibited_by_law``.
EPROTECTION_EXCLUSIONS: dict[EProtectionExclusion, EProtectionExclusionInfo] = {
    "intellectual_property": _la10(
        _COMMON, "geschillen met betrekking tot de intellectuele eigendom"
    ),
    "customs_or_tax": _la10(_COMMON, "douane- en fiscale geschillen"),
    "company_management": _la10(
        _COMMON,
        "de deelname aan het bestuur of het beheer van een vereniging of een "
        "burgerlijke of handelsvennootschap",
    ),
    "payment_terms_adjustment": _la10(
        _COMMON,
        "een aanpassing van de betalingstermijnen die voor de verzekerde geen "
        "betwisting ten gronde inhoudt",
    ),
    "paid_or_professional_activity": _la10(_COMMON, "een bezoldigde of professionele activiteit"),
    "political_or_union_activity": _la10(
        _COMMON, "een politieke of vakbondsactiviteit, een door verkiezing verkregen mandaat"
    ),
    "complicity": _la10(_COMMON, "de medeplichtigheid van de verzekerde"),
    "constitutional_revision": _la10(_COMMON, "de grondwettelijke herziening van een wet"),
    "card_code_disclosed": _la10(
        _COMMON,
        "zware fout: ... de mogelijkheid bieden kennis te nemen van de geheime code "
        "... zijn geheime code op om het even welke drager te noteren",
    ),
    "card_blocked_late": _la10(
        _COMMON, "zware fout: zijn bank niet onmiddellijk op de hoogte brengen"
    ),
    "card_misused": _la10(
        _COMMON,
        "zware fout: de krediet- of debetkaart niet gebruiken conform de "
        "contractuele gebruiksvoorwaarden",
    ),
    "intentional_offence": _la10(
        _COMMON, "opzettelijk beschouwde inbreuken (tenzij vrijspraak ... kracht van gewijsde)"
    ),
    "crime": _la10(_COMMON, "misdrijven of gecorrectionaliseerde misdrijven"),
    "third_party_rights": _la10(
        _COMMON, "rechten van derden die de verzekerde in eigen naam doet gelden"
    ),
    "transferred_rights": _la10(
        _COMMON, "rechten die hem werden overgedragen na het ontstaan van het schadegeval"
    ),
    "surety_or_mandate": _la10(
        _COMMON, "de hoedanigheid van borg, aval en overname van schulden of ook de mandaten"
    ),
    "indemnity_owed_to_third_party": _la10(
        _COMMON, "vergoedingen ... die door een verzekerde aan een derde moeten worden betaald"
    ),
    "against_other_insured": _la10(
        _COMMON,
        "Indien een verzekerde ander dan uzelf rechten wil laten gelden tegen een "
        "andere verzekerde, is de dekking niet verworven",
    ),
    "false_statement": _la10(
        _COMMON,
        "de verzekerde mag geen enkele onjuiste verklaring hebben gemaakt",
        rule="LA-14",
    ),
    "by_insured_person": _la10(
        _IDENTITY,
        "identiteitsdiefstal of het frauduleus gebruik van betaalmiddelen of een "
        "aantasting van de e-reputation door een persoon verzekerd krachtens deze dekkingen",
    ),
    "self_built_reputation": _la10(
        _REPUTATION, "een e-reputation die de verzekerde zelf heeft opgebouwd"
    ),
    "voluntary_disclosure": _la10(
        _REPUTATION, "een vrijwillige verspreiding van informatie van persoonlijke gegevens"
    ),
    "consequential_damage": _la10(
        _REPUTATION, "de gevolgen van een aantasting van de e-reputation"
    ),
    "press_or_journalist": _la10(
        _REPUTATION, "een aantasting van de e-reputation door een persbedrijf of een journalist"
    ),
    "animals_or_plants": _la10(_GOODS, "dieren en planten"),
    "jewellery_or_valuables": _la10(_GOODS, "juwelen of kostbare voorwerpen"),
    "securities_or_tickets": _la10(
        _GOODS,
        "roerende onstoffelijke goederen met een geldwaarde (... vervoerbewijzen, "
        "toegangsbewijzen tot vrijetijdsactiviteiten)",
    ),
    "perishables": _la10(_GOODS, "bederfelijke goederen en levensmiddelen"),
    "medicines": _la10(_GOODS, "geneesmiddelen in de zin van de Belgische wet"),
    "weapons": _la10(_GOODS, "alle categorieën van wapens"),
    "motor_vehicle": _la10(_GOODS, "landmotorrijtuigen"),
    "digital_content": _la10(
        _GOODS, "digitale gegevens die online dienen te worden gevisualiseerd of gedownload"
    ),
    "industrial_or_resale_goods": _la10(
        _GOODS,
        "goederen voor industrieel gebruik, goederen die aangekocht worden om als "
        "koopwaar te worden verkocht",
    ),
    "strike_lockout_sabotage": _la10(
        _GOODS,
        "goederen die niet geleverd werden omwille van een staking ... een lock-out of "
        "een sabotage",
    ),
    "illegal_goods": _la10(_GOODS, "goederen waarvan de handel onwettig is"),
    "unidentified_or_insolvent_merchant": _la10(
        _GOODS, "een niet-geïdentificeerde e-handelaar of ... faillissementverklaring"
    ),
    "auction_site": _la10(_PURCHASE, "op een veilingsite"),
    "prohibited_by_law": _la10(
        _PURCHASE, "verboden door de geldende Belgische wetten en reglementen"
    ),
    "violent_pornographic_discriminatory": _la10(
        _PURCHASE, "met gewelddadig, pornografisch of discriminerend karakter"
    ),
    "disputed_price": _la10(_PURCHASE, "waarvan de aankoopprijs betwist wordt"),
}

# Which covers each sub-list of LA-10 is written for.
EXCLUSION_SCOPES: dict[Scope, frozenset[str]] = {
    _COMMON: frozenset(
        {
            "identity_theft",
            "payment_fraud",
            "e_reputation",
            "e_merchant_goods",
            "e_merchant_service",
            "connected_object",
        }
    ),
    _IDENTITY: frozenset({"identity_theft", "payment_fraud", "e_reputation", "connected_object"}),
    _REPUTATION: frozenset({"e_reputation", "connected_object"}),
    _GOODS: frozenset({"e_merchant_goods", "connected_object"}),
    _PURCHASE: frozenset({"e_merchant_goods", "e_merchant_service", "connected_object"}),
}

ACCIDENT_EXCLUSION_CODES: tuple[AccidentExclusion, ...] = get_args(AccidentExclusion)
ASSISTANCE_EXCLUSION_CODES: tuple[AssistanceExclusion, ...] = get_args(AssistanceExclusion)
EPROTECTION_EXCLUSION_CODES: tuple[EProtectionExclusion, ...] = get_args(EProtectionExclusion)
