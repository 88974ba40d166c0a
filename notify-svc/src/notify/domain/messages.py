"""What notify-svc tells members, per language: each template in nl and fr, some in de;
a language without its template falls back to nl."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from mylm_shared.formatting import day, euro

from notify.domain.claims import ClaimNotice

_templates = Environment(
    loader=PackageLoader("notify", "templates"),
    autoescape=False,  # noqa: S701 — plain-text e-mails, never rendered as HTML
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_AVAILABLE = frozenset(_templates.list_templates())


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
    kind: Literal["care", "premium"] = "care",
) -> Email:
    """EI-4: a new invoice is available — amount, due date and structured reference; a
    premium invoice (PC-8) says it is the premium of the member's policy."""
    lang, template = _template("invoice_issued", language)
    rendered = template.render(
        first_name=first_name,
        amount=euro(total, lang),
        due_date=day(due_date),
        structured_reference=structured_reference,
        premium=kind == "premium",
    )
    # The Message-ID derives from the event: a resend after a crash is recognisably the same.
    return _email(to, rendered, event_id)


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
    _, template = _template("amendment_reminded", language)
    rendered = template.render(first_name=first_name, step=step, deadline=day(deadline))
    return _email(to, rendered, email_id)


def claim_email(*, to: str, language: str, first_name: str, notice: ClaimNotice) -> Email:
    """CL-1: a claim's milestone, the claim number in the subject; the Message-ID derives
    from the fact (``ClaimNotice.email_id``), so a re-publish is recognisably the same."""
    _, template = _template("claim_letter", language)
    rendered = template.render(first_name=first_name, kind=notice.kind, **notice.facts)
    return _email(to, rendered, notice.email_id)


def _template(name: str, language: str) -> tuple[str, Template]:
    lang = language if f"{name}.{language}.txt" in _AVAILABLE else "nl"
    return lang, _templates.get_template(f"{name}.{lang}.txt")


def _email(to: str, rendered: str, key: str) -> Email:
    subject, _, body = rendered.partition("\n\n")
    return Email(to, subject.removeprefix("Subject: ").strip(), body, f"<{key}@notify.mylm>")
