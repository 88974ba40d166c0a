"""EI-4: the invoice e-mail gives amount, due date and structured reference, per language."""

from datetime import date
from decimal import Decimal

from notify.domain.messages import invoice_issued_email


def email(language: str, total: str = "1234.50"):  # type: ignore[no-untyped-def]
    return invoice_issued_email(
        to="jan@example.test",
        language=language,
        first_name="Jan",
        total=Decimal(total),
        due_date=date(2026, 12, 23),
        structured_reference="+++000/0000/00101+++",
        event_id="ev-1",
    )


def test_dutch_email_carries_amount_due_date_and_reference() -> None:
    message = email("nl")
    assert message.subject.startswith("Nieuwe factuur")
    assert "Beste Jan" in message.body
    assert "€\u00a01.234,50"  # nl_BE: dot grouping, no-break space in message.body
    assert "23/12/2026" in message.body
    assert "+++000/0000/00101+++" in message.body


def test_french_email_is_in_french() -> None:
    message = email("fr")
    assert "facture" in message.subject.lower()
    assert "1\u202f234,50\u00a0€"  # fr_BE: narrow no-break space grouping in message.body
    assert "23/12/2026" in message.body
    assert "+++000/0000/00101+++" in message.body
    assert "Beste" not in message.body


def test_german_speakers_get_dutch_until_a_german_template_exists() -> None:
    assert email("de").subject == email("nl").subject


def test_message_id_derives_from_the_event() -> None:
    assert email("nl").message_id == "<ev-1@notify.mylm>"
