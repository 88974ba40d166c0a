"""Text for the standard PDF fonts (issue 18 item 4: the invoice PDF): Windows-1252 keeps
every nl/fr/de character, loses only accents and strokes it cannot draw, never refuses."""

from mylm_shared.kernel.printable import cp1252_printable


def test_nl_fr_de_text_and_the_euro_sign_are_kept() -> None:
    """Issue 18 item 4: "Échéance", "Prämie", "€ 12,50", French no-break space kept."""
    text = "Échéance · Prämie „Straße“ € 12,50 «\xa0ok\xa0»"
    assert cp1252_printable(text) == text


def test_other_scripts_lose_accents_and_strokes_else_become_a_question_mark() -> None:
    """Issue 18 item 4: a name in another script prints as close as the font allows."""
    assert cp1252_printable("Łukasiewicz Dvořák") == "Lukasiewicz Dvorák"
    assert cp1252_printable("40,50\u202f€") == "40,50 €"  # CLDR's narrow no-break space
    assert cp1252_printable("Ωmega") == "?mega"
