"""EI-4: the invoice e-mail gives amount, due date and structured reference, per language
(issue 19 item 5: in the body, the subject carries none of them)."""

from datetime import date
from decimal import Decimal

import pytest
from notify.domain.messages import amendment_reminder_email, invoice_issued_email, reminder_email_id


def email(language: str, total: str = "1234.50", kind: str = "care"):  # type: ignore[no-untyped-def]
    return invoice_issued_email(
        kind=kind,  # type: ignore[arg-type]
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
    assert "€\u00a01.234,50" in message.body  # nl_BE: dot grouping, no-break space
    assert "1.234,50" not in message.subject and "23/12/2026" not in message.subject
    assert "23/12/2026" in message.body
    assert "+++000/0000/00101+++" in message.body


def test_french_email_is_in_french() -> None:
    message = email("fr")
    assert "facture" in message.subject.lower()
    assert "1\u202f234,50\u00a0€" in message.body  # fr_BE: narrow no-break space grouping
    assert "23/12/2026" in message.body
    assert "+++000/0000/00101+++" in message.body
    assert "Beste" not in message.body


def test_german_speakers_get_the_german_invoice_email_issue_19_item_5() -> None:
    """Until issue 19 item 5 they got the Dutch one; now the German template exists."""
    message = email("de")
    assert message.subject == "Neue Rechnung in My LM" != email("nl").subject
    assert "Guten Tag Jan" in message.body
    assert "Betrag: 1.234,50\u00a0€" in message.body  # de_BE: dot grouping, euro after
    assert "23/12/2026" in message.body and "+++000/0000/00101+++" in message.body
    assert '<html lang="de"' in message.html


def test_message_id_derives_from_the_event() -> None:
    assert email("nl").message_id == "<ev-1@notify.mylm>"


@pytest.mark.parametrize(("language", "word"), [("nl", "Premie"), ("fr", "Prime")])
def test_a_premium_invoice_email_says_it_is_the_premium_of_the_policy_pc_8(
    language: str, word: str
) -> None:
    message = email(language, kind="premium")
    assert message.subject.startswith(word)
    assert "+++000/0000/00101+++" in message.body
    assert "prestaties" not in message.body and "prestations" not in message.body


@pytest.mark.parametrize(
    ("language", "step", "subject", "consequence"),
    [
        ("nl", "accept_proposal", "Herinnering", "kunnen wij uw polis opzeggen"),
        ("nl", "agree_reduction", "Herinnering", "kunt u uw polis opzeggen"),
        ("fr", "accept_proposal", "Rappel", "nous pouvons résilier votre police"),
        ("fr", "agree_reduction", "Rappel", "vous pouvez résilier votre police"),
        ("de", "accept_proposal", "Erinnerung", "können wir Ihre Police kündigen"),
        ("de", "agree_reduction", "Erinnerung", "können Sie Ihre Police kündigen"),
    ],
)
def test_an_amendment_reminder_names_the_step_the_deadline_and_what_follows_pc_7(
    language: str, step: str, subject: str, consequence: str
) -> None:
    message = amendment_reminder_email(
        to="jan@example.test",
        language=language,
        first_name="Jan",
        step=step,  # type: ignore[arg-type]
        deadline=date(2026, 2, 28),
        email_id="r-1",
    )
    assert message.subject.startswith(subject)
    assert "28/02/2026" not in message.subject and "28/02/2026" in message.body
    assert consequence in message.body
    assert message.message_id == "<r-1@notify.mylm>"


def test_a_reminder_is_identified_by_amendment_step_and_deadline_pc_7() -> None:
    one = reminder_email_id("a-1", "accept_proposal", date(2026, 2, 28))
    assert one == reminder_email_id("a-1", "accept_proposal", date(2026, 2, 28))
    assert one != reminder_email_id("a-1", "accept_proposal", date(2026, 3, 1))
    assert one != reminder_email_id("a-1", "agree_reduction", date(2026, 2, 28))
