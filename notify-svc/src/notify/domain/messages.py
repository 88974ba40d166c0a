"""What notify-svc tells members, per language (nl/fr, de falls back to nl)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined
from mylm_shared.formatting import day, euro

LANGUAGES = ("nl", "fr")

_templates = Environment(
    loader=PackageLoader("notify", "templates"),
    autoescape=False,  # noqa: S701 — plain-text e-mails, never rendered as HTML
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    message_id: str


def invoice_issued_email(
    *,
    to: str,
    language: str,
    first_name: str,
    total: Decimal,
    due_date: date,
    structured_reference: str,
    event_id: str,
) -> Email:
    """EI-4: a new invoice is available — amount, due date and structured reference."""
    lang = language if language in LANGUAGES else "nl"
    rendered = _templates.get_template(f"invoice_issued.{lang}.txt").render(
        first_name=first_name,
        amount=euro(total, lang),
        due_date=day(due_date),
        structured_reference=structured_reference,
    )
    subject, _, body = rendered.partition("\n\n")
    # The Message-ID derives from the event: a resend after a crash is recognisably the same.
    return Email(to, subject.removeprefix("Subject: ").strip(), body, f"<{event_id}@notify.mylm>")
