"""The special conditions' content per language (PC-1, PC-2/PC-3, PC-4, PC-5, PC-8,
PC-12) and their PDF (text extracted with pypdf, same bytes for the same facts)."""

import io
from datetime import date

import pytest
from policy.adapters.conditions_pdf import render
from policy.domain.conditions import (
    LANGUAGES,
    TEXTS,
    Language,
    SpecialConditions,
    category,
    special_conditions,
)
from policy.domain.insured import HouseholdPerson, Policyholder, always, insured_on
from policy.domain.policy import DeclaredPerson, Policy
from pypdf import PdfReader

START = date(2027, 1, 1)
HOLDER_BORN = date(1985, 7, 30)


def contract(formula: str = "family", e_protection: bool = True, signed: bool = True) -> Policy:
    policy = Policy.propose(
        policy_id="pol-1",
        member_id="holder",
        holder_name="Jan Peeters",
        holder_birth_date=HOLDER_BORN,
        formula=formula,  # type: ignore[arg-type]
        threshold_pct=5,
        e_protection=e_protection,
        start_date=START,
        proposed_on=date(2026, 11, 20),
    )
    if signed:
        policy.accept(date(2026, 11, 23))
    return policy


def flat(text: str) -> str:
    """Words separated by one space (line breaks and no-break spaces alike)."""
    return " ".join(text.split())


def text(conditions: SpecialConditions) -> str:
    return flat(conditions.text())


@pytest.mark.parametrize("language", LANGUAGES)
def test_pc1_e_protection_is_listed_only_when_chosen(language: Language) -> None:
    names = TEXTS[language].cover_names
    with_it = text(special_conditions(contract(e_protection=True), language))
    without = text(special_conditions(contract(e_protection=False), language))
    for always_there in (names["accident"], names["assistance"]):
        assert flat(always_there) in with_it and flat(always_there) in without
    assert flat(names["e_protection"]) in with_it
    assert "e-protection" not in without


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "De dekking neemt aanvang op deze datum, voor zover de eerste premie werd betaald."),
        ("fr", "La garantie prend cours à cette date, pour autant que la première prime ait été"),
        ("de", "Der Versicherungsschutz beginnt an diesem Datum, sofern die erste Prämie gezahlt"),
    ],
)
def test_pc4_start_date_with_the_first_premium_condition(language: Language, sentence: str) -> None:
    found = text(special_conditions(contract(), language))
    start = {"nl": "1 januari 2027", "fr": "1 janvier 2027", "de": "1. Januar 2027"}[language]
    assert f"{TEXTS[language].start}: {start}" in found
    assert sentence in found


@pytest.mark.parametrize(
    ("language", "total", "net", "deadline"),
    [
        ("nl", "€ 222,87", "€ 204,00", "1 oktober 2027"),
        ("fr", "222,87 €", "204,00 €", "1 octobre 2027"),
        ("de", "222,87 €", "204,00 €", "1. Oktober 2027"),
    ],
)
def test_pc5_pc8_pc12_term_premium_breakdown_and_no_indexation(
    language: Language, total: str, net: str, deadline: str
) -> None:
    t = TEXTS[language]
    found = text(special_conditions(contract(), language))
    # family 5 % (156.00) + e-protection (48.00) = 204.00 net, 9.25 % tax 18.87, no costs
    assert f"{t.net}: {net}" in found
    assert f"{t.taxes}: {'€ 18,87' if language == 'nl' else '18,87 €'}" in found
    assert f"{t.contributions}: {'€ 0,00' if language == 'nl' else '0,00 €'}" in found
    assert f"{t.total}: {total}" in found
    assert flat(t.no_indexation) in found  # PC-12
    # PC-5: expiry 1 January 2028, objection posted at the latest 3 months before
    assert deadline in found
    assert flat(t.renewal.split("{")[0]) in found


def test_pc2_single_formula_insures_the_policyholder_alone() -> None:
    policy = contract(formula="single")
    found = text(special_conditions(policy, "nl"))
    assert "Formule: single" in found
    assert "Jan Peeters: verzekeringnemer (PC-2)" in found


def test_pc3_insured_on_the_start_date_with_their_rule_in_the_members_language() -> None:
    policy = contract()
    policy.declare_household(
        START,
        (
            DeclaredPerson("p", "Els Peeters", date(1986, 1, 1), "partner", True),
            DeclaredPerson("c", "Lotte Peeters", date(2014, 6, 1), "child", True),
            DeclaredPerson("m", "Wout Peeters", date(2010, 6, 1), "child", False),
            DeclaredPerson("s", "Emma Peeters", date(2005, 6, 1), "child", False, studying=True),
            DeclaredPerson("x", "Tom Peeters", date(2000, 6, 1), "child", False),  # 26: not
        ),
    )
    found = text(special_conditions(policy, "fr"))
    assert "Personnes assurées au 1 janvier 2027" in found
    assert "Jan Peeters: preneur d'assurance (PC-3)" in found
    assert "Els Peeters: conjoint ou partenaire cohabitant (PC-3)" in found
    assert "Lotte Peeters: enfant vivant sous le toit du preneur d'assurance (PC-3)" in found
    assert "Wout Peeters: enfant mineur ne vivant pas sous le toit du preneur (PC-3)" in found
    assert "Emma Peeters: enfant célibataire de moins de 26 ans aux études" in found
    assert "Tom Peeters" not in found


def test_every_insured_reason_of_insured_py_has_a_translated_category() -> None:
    """Pins the reasons conditions.py reads: a new wording in insured.py fails here."""
    holder = Policyholder("h", "H", HOLDER_BORN)
    household = [
        HouseholdPerson("p", "P", date(1986, 1, 1), "partner", always(True)),
        HouseholdPerson("c", "C", date(2014, 6, 1), "child", always(True)),
        HouseholdPerson("m", "M", date(2010, 6, 1), "child", always(False)),
        HouseholdPerson("s", "S", date(2005, 6, 1), "child", always(False), studying=always(True)),
    ]
    family = insured_on(START, "family", START, holder, household)
    single = insured_on(START, "single", START, holder)
    found = [category(a) for a in (*family, *single)]
    family_categories = ["policyholder", "partner", "child_in", "minor_elsewhere", "student"]
    assert found == [*family_categories, "policyholder"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_proposal_is_titled_as_such_and_not_signed(language: Language) -> None:
    t = TEXTS[language]
    proposal = special_conditions(contract(signed=False), language)
    assert proposal.title == t.proposal_title
    assert flat(t.signed.split("{")[0]) not in text(proposal)
    signed = special_conditions(contract(), language)
    assert signed.title == t.title
    assert flat(t.signed.split("{")[0]) in text(signed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_holds_the_texts_and_is_the_same_for_the_same_facts(language: Language) -> None:
    conditions = special_conditions(contract(), language)
    pdf = render(conditions, date(2026, 11, 23))
    assert pdf.startswith(b"%PDF")
    assert pdf == render(conditions, date(2026, 11, 23))
    reader = PdfReader(io.BytesIO(pdf))
    extracted = flat("\n".join(page.extract_text() for page in reader.pages))
    assert "pol-1" in extracted
    assert TEXTS[language].title in extracted
    assert flat(TEXTS[language].start_condition) in extracted
    assert flat(TEXTS[language].cover_names["e_protection"]) in extracted  # „“ « » survive
    assert ("€ 222,87" if language == "nl" else "222,87 €") in extracted


def test_pdf_writes_names_outside_its_encoding_instead_of_refusing_them() -> None:
    policy = contract()
    policy.holder_name = "Łucja Dvořák"
    extracted = PdfReader(io.BytesIO(render(special_conditions(policy, "nl"), START)))
    assert "Lucja Dvorák" in extracted.pages[0].extract_text()  # ř is not in cp1252, á is


def test_pdf_a_long_household_breaks_pages_between_rows_only() -> None:
    policy = contract()
    long_name = "Maximiliaan-Alexander Van Den Bossche-Vandenberghe"
    children = tuple(
        DeclaredPerson(f"c{i}", f"{long_name} {i}", date(2014, 6, 1), "child", True)
        for i in range(12)
    )
    policy.declare_household(START, children)
    pages = PdfReader(io.BytesIO(render(special_conditions(policy, "nl"), START))).pages
    assert len(pages) == 2
    extracted = flat(" ".join(page.extract_text() for page in pages))
    for i in range(12):
        assert f"{long_name} {i} kind dat bij de verzekeringnemer inwoont (PC-3)" in extracted
