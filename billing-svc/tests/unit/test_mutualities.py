"""Reference data per mutuality (MT-1; issue 18 item 2): the five mutualities of the LLM
with the postal address and contact the handbook's terms give (Artikel 5), and a payment
account with valid IBAN check digits (demo values, flagged as such)."""

import pytest
from billing.domain.mutualities import MUTUALITIES, UnknownMutuality, mutuality
from stdnum.be import iban as be_iban

# DOMAIN.md "Mutualities of the LLM" (and identity-svc's MUTUALITIES)
NAMES = (
    "LM Plus",
    "LM Oost-Vlaanderen",
    "LM MUTPLUS.be",
    "ML Hainaut-Namur",
    "ML Liège-Luxembourg",
)


def test_mt1_every_mutuality_of_the_llm_has_reference_data() -> None:
    """MT-1: exactly the five mutualities, by the names identity-svc uses."""
    assert tuple(MUTUALITIES) == NAMES


@pytest.mark.parametrize(
    ("name", "street", "postal_code", "city", "email"),
    [
        ("LM Plus", "Kalkoven 22", "1730", "Asse", "info@lmplus.be"),
        ("LM Oost-Vlaanderen", "Brabantdam 109", "9000", "Gent", "info.ov@lm.be"),
        ("LM MUTPLUS.be", "Koninginneplein 51-52", "1030", "Brussel", "info@mutplus.be"),
        ("ML Hainaut-Namur", "Rue Anatole France 8-14", "7100", "La Louvière", "contact@mut409.be"),
        (
            "ML Liège-Luxembourg",
            "Rue de Hermée 177 D",
            "4040",
            "Herstal",
            "secretariat@libramut.be",
        ),
    ],
)
def test_mt1_the_address_printed_is_the_one_in_the_terms(
    name: str, street: str, postal_code: str, city: str, email: str
) -> None:
    """MT-1: each mutuality's own contact data, as the Dutch terms list them (the first
    office where two are listed)."""
    office = mutuality(name).address
    assert (office.street, office.postal_code, office.city, office.email) == (
        street,
        postal_code,
        city,
        email,
    )
    assert office.lines[-1] == f"{postal_code} {city}"


def test_mt1_second_offices_are_kept() -> None:
    """MT-1: ML Hainaut-Namur (La Louvière, Namur) and ML Liège-Luxembourg (Herstal,
    Marche-en-Famenne) have two offices each."""
    assert [o.city for o in mutuality("ML Hainaut-Namur").offices] == ["La Louvière", "Namur"]
    assert [o.city for o in mutuality("ML Liège-Luxembourg").offices] == [
        "Herstal",
        "Marche-en-Famenne",
    ]


def test_mt1_payment_accounts_are_valid_distinct_and_flagged_as_demo() -> None:
    """MT-1: the handbook gives no bank account; the demo IBANs pass the IBAN and the
    Belgian national mod-97 checks (python-stdnum), differ per mutuality and say they
    are demo values."""
    ibans = [m.iban for m in MUTUALITIES.values()]
    assert len(set(ibans)) == len(ibans)
    for m in MUTUALITIES.values():
        assert be_iban.is_valid(m.iban)
        assert be_iban.to_bic(m.iban) == m.bic
        assert m.demo_payment_account
        assert m.iban_printed.replace(" ", "") == m.iban


def test_mt1_a_real_account_replaces_the_demo_one() -> None:
    """MT-1: settings may give a mutuality's real account; it is validated."""
    real = mutuality("LM Plus").with_payment_account("BE71 0961 2345 6769", "GKCCBEBB")
    assert real.iban == "BE71096123456769"
    assert not real.demo_payment_account
    with pytest.raises(ValueError, match="not a Belgian IBAN"):
        mutuality("LM Plus").with_payment_account("BE71096123456768", "GKCCBEBB")


def test_mt1_an_unknown_mutuality_is_refused() -> None:
    """MT-1: no invoice for a mutuality outside the LLM."""
    with pytest.raises(UnknownMutuality, match="MT-1"):
        mutuality("LM Nowhere")
