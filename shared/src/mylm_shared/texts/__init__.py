"""What members read, in one place (issue 17 item 4): inbox titles and letters, e-mail
subjects and bodies, per kind of text and language, as Jinja2 templates
(``catalogue``); the language a member reads (``languages``); a claim's milestones as
texts (``claims``). Masks: ``mylm_shared.kernel.masking``.

    letter = texts.letter("claim_payment", "fr", **facts)   # inbox-svc: title, body
    mail = texts.mail("claim_payment", "fr", first_name="Marie", **facts)   # notify-svc
    mail.subject, mail.body, mail.html   # no personal data; text; the same words as HTML

Pure (no FastAPI, Kafka or Mongo): domain modules may import it.
"""

from mylm_shared.texts.catalogue import (
    ACCOUNT_CODE_KINDS,
    CLAIM_LETTER_KINDS,
    NOT_WRITTEN,
    PARTS,
    AccountCodeKind,
    ClaimLetterKind,
    ClaimTextKind,
    Letter,
    Mail,
    Part,
    TextKind,
    letter,
    mail,
    render,
    title,
    written_language,
)
from mylm_shared.texts.claims import ClaimEvent, ClaimLetterEvent, ClaimText, claim_text
from mylm_shared.texts.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    language_of,
    localized,
)

__all__ = [
    "ACCOUNT_CODE_KINDS",
    "CLAIM_LETTER_KINDS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "NOT_WRITTEN",
    "PARTS",
    "AccountCodeKind",
    "ClaimEvent",
    "ClaimLetterEvent",
    "ClaimLetterKind",
    "ClaimText",
    "ClaimTextKind",
    "Letter",
    "Mail",
    "Part",
    "TextKind",
    "claim_text",
    "language_of",
    "letter",
    "localized",
    "mail",
    "render",
    "title",
    "written_language",
]
