"""The catalogue of what members read (issue 17 item 4): for each kind of text and each
language one Jinja2 template, ``templates/<kind>.<language>.txt``, holding every part of
that text: the inbox's ``title`` and ``letter`` (IN-1, CL-1), the e-mail's ``subject``
and ``email`` body (EI-4, PC-7, CL-1). inbox-svc and notify-svc both render from here,
so a letter and its e-mail cannot drift apart; identity-svc its code e-mails (RG-2,
``ACCOUNT_CODE_KINDS``, extending ``_code.<language>.txt``).

E-mails are multipart (issue 19 item 5): the plain-text body, and the same template
rendered once more with autoescaping into one HTML layout (``templates/_mail.html``:
``lang``, the subject as heading, paragraphs, lists; no images, light and dark colour
schemes). The wording has one source, the ``.txt`` template; the layout adds structure
only. Subjects carry no personal data (no amount, date, number or account of the
member's; not even the first name): they name the kind of message, the facts are in the
body, for anyone who sees a subject on a lock screen or in a shared mailbox.

A text's kind is the kind of the inbox document or e-mail it writes (``PARTS``). Claim
texts extend ``_claim.<language>.txt`` (the title "Schadegeval <number>: <fact>", the
e-mail's subject "Schadegeval: <topic>", and the e-mail's closing line); every e-mail extends
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
from markupsafe import Markup

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
# RG-2 (issue 19 item 5): the one-time codes identity-svc e-mails itself, over SMTP (a
# code never travels through Kafka); the code in the body, never in the subject.
AccountCodeKind = Literal["registration_code", "password_reset_code"]
TextKind = (
    Literal[
        "invoice",
        "policy_conditions",
        "invoice_issued",
        "amendment_reminded",
        "invoice_reminder",
        "terms_changed",
        "maintenance_announced",
        # EI-4 (issue 19 item 4): a new notification address, its code and the notice
        "notification_address_code",
        "notification_address_changed",
    ]
    | ClaimTextKind
    | AccountCodeKind
)

_DOCUMENT: frozenset[Part] = frozenset({"title"})
_EMAIL: frozenset[Part] = frozenset({"subject", "email"})
_LETTER: frozenset[Part] = frozenset({"title", "letter", "subject", "email"})
CLAIM_LETTER_KINDS: tuple[ClaimLetterKind, ...] = get_args(ClaimLetterKind)
ACCOUNT_CODE_KINDS: tuple[AccountCodeKind, ...] = get_args(AccountCodeKind)
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
    "notification_address_code": _EMAIL,  # EI-4, issue 19 item 4
    "notification_address_changed": _EMAIL,  # EI-4, issue 19 item 4
    **dict.fromkeys(ACCOUNT_CODE_KINDS, _EMAIL),  # RG-2: sent by identity-svc
}
# Texts not written (yet) in a language: their readers get the Dutch one (none today:
# the German invoice e-mail came with issue 19 item 5).
NOT_WRITTEN: frozenset[tuple[TextKind, Language]] = frozenset()


@dataclass(frozen=True)
class Letter:
    """A document in the member's inbox: its title and (claims) its plain-text body."""

    title: str
    body: str


@dataclass(frozen=True)
class Mail:
    """An e-mail's subject (one line), plain-text body and the same body as an HTML
    document (issue 19 item 5: sent as multipart/alternative)."""

    subject: str
    body: str
    html: str


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
    """An e-mail to the member, greeting them by ``first_name``: subject, text and HTML."""
    facts["first_name"] = first_name
    subject = render(kind, "subject", language, **facts).strip()
    return Mail(
        subject, render(kind, "email", language, **facts), _html(kind, language, subject, facts)
    )


@dataclass(frozen=True)
class Block:
    """A block of an e-mail's HTML body: a paragraph's lines (``p``) or a list's items
    (``ul``), each already escaped."""

    tag: Literal["p", "ul"]
    lines: list[Markup]


def _html(kind: TextKind, language: str | None, subject: str, facts: dict[str, Any]) -> str:
    """The e-mail's text template rendered with autoescaping (every fact escaped, the
    template's own words are plain text), its paragraphs and ``- `` lists laid out in
    ``_mail.html``."""
    lang = written_language(kind, language)
    body = HTML.get_template(f"{kind}.{lang}.txt").render(
        facts, part="email", language=lang, by_email=True
    )
    # safe: rendered with autoescape (every fact escaped; the templates' own words hold
    # no markup, the rendering tests check it)
    escaped = Markup(body)  # noqa: S704
    return HTML.get_template("_mail.html").render(
        language=lang, subject=subject, blocks=html_blocks(escaped)
    )


def html_blocks(body: Markup) -> list[Block]:
    """A plain-text body (escaped) as HTML blocks: blank lines part paragraphs, lines
    within a paragraph stay lines, consecutive lines starting with ``- `` are a list."""
    blocks: list[Block] = []
    for paragraph in body.strip().split("\n\n"):
        current: Block | None = None
        for line in paragraph.strip("\n").split("\n"):
            tag: Literal["p", "ul"] = "ul" if line.startswith("- ") else "p"
            if current is None or current.tag != tag:
                current = Block(tag, [])
                blocks.append(current)
            current.lines.append(line[2:] if tag == "ul" else line)
    return [block for block in blocks if any(line.strip() for line in block.lines)]


@pass_context
def _euro(context: Context, amount: Decimal) -> str:
    return euro(amount, context["language"])


@pass_context
def _long_date(context: Context, value: date) -> str:
    return str(format_date(value, "long", locale=LOCALES[context["language"]]))


@pass_context
def _localized(context: Context, text: LocalizedTextV1) -> str:
    return localized(text, context["language"])


def _environment(*, html: bool) -> Environment:
    environment = Environment(
        loader=PackageLoader("mylm_shared.texts", "templates"),
        # plain text (inbox letters, e-mails) unescaped; the e-mails' HTML escaped
        autoescape=html,  # noqa: S701
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters |= {
        "euro": _euro,
        "day": day,
        "long_date": _long_date,
        "masked": masked_iban,
        "localized": _localized,
    }
    return environment


# The catalogue's templates (its tests read them too): as plain text, and as HTML.
TEMPLATES = _environment(html=False)
HTML = _environment(html=True)
