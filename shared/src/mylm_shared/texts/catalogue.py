"""The catalogue of what members read (issue 17 item 4): for each kind of text and each
language one Jinja2 template, ``templates/<kind>.<language>.txt``, holding every part of
that text: the inbox's ``title`` and ``letter`` (IN-1, CL-1), the e-mail's ``subject``
and ``email`` body (EI-4, PC-7, CL-1). inbox-svc and notify-svc both render from here,
so a letter and its e-mail cannot drift apart.

A text's kind is the kind of the inbox document or e-mail it writes (``PARTS``). Claim
texts extend ``_claim.<language>.txt`` (the title "Schadegeval <number>: <fact>", which
is also the e-mail's subject, and the e-mail's closing line); every e-mail extends
``_mail.<language>.txt`` (greeting and signature); ``_parts.txt`` picks the part. Where a
letter and its e-mail differ (the e-mail names the claim, the letter sits in the claim's
inbox), the letter says so with ``by_email``.

Templates get the facts raw and format them for the language they are written in:
``euro`` (amounts as on invoices), ``day`` (dd/mm/yyyy), ``long_date`` ("1 januari
2026"), ``masked`` (an IBAN's last four, ``mylm_shared.kernel.masking``), ``localized`` (a
text written in nl and fr only, ``mylm_shared.texts.languages``).

Pure: reads its own templates, no other I/O, no framework.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, get_args

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from mylm_shared.events.catalog import Language, LocalizedTextV1
from mylm_shared.kernel.formatting import LOCALES, day, euro
from mylm_shared.kernel.masking import masked_iban
from mylm_shared.texts.languages import DEFAULT_LANGUAGE, language_of, localized

Part = Literal["title", "letter", "subject", "email"]
ClaimLetterKind = Literal[
    "claim_acknowledgement",
    "claim_documents_requested",
    "claim_decision",
    "claim_offer",
    "claim_offer_accepted",
    "claim_payment",
    "claim_closed",
]
ClaimTextKind = ClaimLetterKind | Literal["claim_payout_account"]
TextKind = (
    Literal[
        "invoice",
        "policy_conditions",
        "invoice_issued",
        "amendment_reminded",
        "invoice_reminder",
        "terms_changed",
        "maintenance_announced",
    ]
    | ClaimTextKind
)

_DOCUMENT: frozenset[Part] = frozenset({"title"})
_EMAIL: frozenset[Part] = frozenset({"subject", "email"})
_LETTER: frozenset[Part] = frozenset({"title", "letter", "subject", "email"})
CLAIM_LETTER_KINDS: tuple[ClaimLetterKind, ...] = get_args(ClaimLetterKind)
# The parts each kind has: inbox documents a title, e-mails a subject and a body, a
# claim's milestones both a letter in the inbox and an e-mail.
PARTS: Mapping[TextKind, frozenset[Part]] = {
    "invoice": _DOCUMENT,  # IN-1, PC-8: a care or a premium invoice
    "policy_conditions": _DOCUMENT,  # PC-1, PC-7: the special conditions, new ones
    "invoice_issued": _EMAIL,  # EI-4, PC-8
    "amendment_reminded": _EMAIL,  # PC-7
    # EI-5 (issue 18 item 4): the reminder's inbox document (title) and its e-mail
    "invoice_reminder": frozenset({"title", "subject", "email"}),
    # EI-6 (issue 18 item 5): new conditions, an inbox letter and an e-mail
    "terms_changed": _LETTER,
    # EI-7 (issue 18 item 6): a maintenance window, an inbox letter
    "maintenance_announced": frozenset({"title", "letter"}),
    **dict.fromkeys(CLAIM_LETTER_KINDS, _LETTER),  # CL-1
    "claim_payout_account": _EMAIL,  # issue 15 item 7
}
# Texts not written (yet) in a language: their readers get the Dutch one.
NOT_WRITTEN: frozenset[tuple[TextKind, Language]] = frozenset({("invoice_issued", "de")})


@dataclass(frozen=True)
class Letter:
    """A document in the member's inbox: its title and (claims) its plain-text body."""

    title: str
    body: str


@dataclass(frozen=True)
class Mail:
    """An e-mail's subject (one line) and plain-text body."""

    subject: str
    body: str


def written_language(kind: TextKind, language: str | None) -> Language:
    """The language the member reads ``kind`` in: theirs where it is written, else Dutch."""
    lang = language_of(language)
    return DEFAULT_LANGUAGE if (kind, lang) in NOT_WRITTEN else lang


def render(kind: TextKind, part: Part, language: str | None, **facts: Any) -> str:
    """One part of a text, in the language the member reads it in."""
    if part not in PARTS[kind]:
        raise ValueError(f"the text {kind!r} has no {part!r}")
    lang = written_language(kind, language)
    template = TEMPLATES.get_template(f"{kind}.{lang}.txt")
    return template.render(facts, part=part, language=lang, by_email=part == "email")


def title(kind: TextKind, language: str | None, **facts: Any) -> str:
    """An inbox document's title."""
    return render(kind, "title", language, **facts)


def letter(kind: ClaimLetterKind, language: str | None, **facts: Any) -> Letter:
    """An inbox letter: its title and its body."""
    return Letter(
        render(kind, "title", language, **facts), render(kind, "letter", language, **facts)
    )


def mail(kind: TextKind, language: str | None, *, first_name: str, **facts: Any) -> Mail:
    """An e-mail to the member, greeting them by ``first_name``."""
    facts["first_name"] = first_name
    return Mail(
        render(kind, "subject", language, **facts).strip(),
        render(kind, "email", language, **facts),
    )


@pass_context
def _euro(context: Context, amount: Decimal) -> str:
    return euro(amount, context["language"])


@pass_context
def _long_date(context: Context, value: date) -> str:
    return str(format_date(value, "long", locale=LOCALES[context["language"]]))


@pass_context
def _localized(context: Context, text: LocalizedTextV1) -> str:
    return localized(text, context["language"])


# The catalogue's templates (its tests read them too).
TEMPLATES = Environment(
    loader=PackageLoader("mylm_shared.texts", "templates"),
    autoescape=False,  # noqa: S701 — plain text (inbox letters, e-mails), never HTML
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
TEMPLATES.filters |= {
    "euro": _euro,
    "day": day,
    "long_date": _long_date,
    "masked": masked_iban,
    "localized": _localized,
}
