"""What notify-svc tells members: the e-mails of the catalogue (``mylm_shared.texts``:
subjects, text and HTML bodies per kind and language, a language without its text falls
back to Dutch) addressed, with their Message-IDs. Issue 19 item 5: every e-mail has both
bodies (sent as multipart/alternative) and a subject without personal data."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from mylm_shared import texts
from mylm_shared.events import TermsChangedV1

from notify.domain.claims import ClaimNotice


@dataclass(frozen=True)
class Email:
    """``body`` is the text part, ``html`` the same words as an HTML document."""

    to: str
    subject: str
    body: str
    message_id: str
    html: str


def invoice_issued_email(
    *,
    to: str,
    language: str,
    first_name: str,
    total: Decimal,
    due_date: date,
    structured_reference: str,
    event_id: str,
    kind: Literal["care", "premium"] = "care",
) -> Email:
    """EI-4: a new invoice is available — amount, due date and structured reference; a
    premium invoice (PC-8) says it is the premium of the member's policy."""
    mail = texts.mail(
        "invoice_issued",
        language,
        first_name=first_name,
        amount=total,
        due_date=due_date,
        structured_reference=structured_reference,
        premium=kind == "premium",
    )
    # The Message-ID derives from the event: a resend after a crash is recognisably the same.
    return _email(to, mail, event_id)


def invoice_reminder_email_id(invoice_id: str, level: int) -> str:
    """EI-5: one e-mail per invoice and reminder level, however often it is requested."""
    return str(uuid5(NAMESPACE_URL, f"mylm:notify:invoice-reminder:{invoice_id}:{level}"))


def invoice_reminder_email(
    *,
    to: str,
    language: str,
    first_name: str,
    level: int,
    outstanding: Decimal,
    due_date: date,
    structured_reference: str,
    email_id: str,
) -> Email:
    """EI-5 (issue 18 item 4): reminder 1 or 2 of an overdue invoice: what is still
    owed, the due date that passed and the structured reference."""
    mail = texts.mail(
        "invoice_reminder",
        language,
        first_name=first_name,
        level=level,
        amount=outstanding,
        due_date=due_date,
        structured_reference=structured_reference,
    )
    return _email(to, mail, email_id)


def terms_changed_email_id(version: str, member_id: str) -> str:
    """EI-6: one e-mail per version of the conditions and member."""
    return str(uuid5(NAMESPACE_URL, f"mylm:notify:terms:{version}:{member_id}"))


def terms_changed_email(
    *, to: str, language: str, first_name: str, change: TermsChangedV1, email_id: str
) -> Email:
    """EI-6 (issue 18 item 5): the e-invoicing conditions change on ``effective_on``
    (announced at least 15 working days ahead), what changes, in the member's language."""
    mail = texts.mail(
        "terms_changed",
        language,
        first_name=first_name,
        effective_on=change.effective_on,
        version=change.version,
        summary=change.summary,
    )
    return _email(to, mail, email_id)


def reminder_email_id(amendment_id: str, step: str, deadline: date) -> str:
    """One reminder per amendment, step and deadline, however often it is requested."""
    return str(uuid5(NAMESPACE_URL, f"mylm:notify:amendment:{amendment_id}:{step}:{deadline}"))


def amendment_reminder_email(
    *,
    to: str,
    language: str,
    first_name: str,
    step: Literal["accept_proposal", "agree_reduction"],
    deadline: date,
    email_id: str,
) -> Email:
    """PC-7: what the policyholder still has to do about an amendment, and by when
    (the deadline is inclusive); what follows if they do not."""
    mail = texts.mail(
        "amendment_reminded", language, first_name=first_name, step=step, deadline=deadline
    )
    return _email(to, mail, email_id)


def claim_email(*, to: str, language: str, first_name: str, notice: ClaimNotice) -> Email:
    """CL-1: a claim's milestone (the subject names the kind only, the claim number is in
    the body: issue 19 item 5); the Message-ID derives from the fact
    (``ClaimNotice.email_id``), so a re-publish is recognisably the same."""
    mail = texts.mail(notice.kind, language, first_name=first_name, **notice.facts)
    return _email(to, mail, notice.email_id)


def _email(to: str, mail: texts.Mail, key: str) -> Email:
    return Email(to, mail.subject, mail.body, f"<{key}@notify.mylm>", mail.html)
