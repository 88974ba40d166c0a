"""Documents in a member's secure inbox (IN-1): one per source object, never twice.

Kinds: ``invoice`` (care or premium, from billing) and ``policy_conditions`` (the special
conditions of an issued policy, PC-1, and the new ones of each accepted amendment, PC-7 —
source id ``{policy_id}:{amendment_id}``; the PDF of the current terms is served by
policy-svc), and the letters of a claim (``claim_*``, ``inbox.domain.claims``, CL-1), whose
text is in ``body``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from babel.dates import format_date
from mylm_shared.formatting import LOCALES, day, euro

from inbox.domain.claims import ClaimKind

DocumentKind = Literal["invoice", "policy_conditions"] | ClaimKind

_INVOICE_TITLES = {
    "nl": "Factuur {reference} — {total}, te betalen vóór {due}",
    "fr": "Facture {reference} — {total}, à payer avant le {due}",
    "de": "Rechnung {reference} — {total}, zahlbar bis {due}",
}
# PC-8: a premium invoice says it is a premium, not a care invoice.
_PREMIUM_TITLES = {
    "nl": "Premie {reference} — {total}, te betalen vóór {due}",
    "fr": "Prime {reference} — {total}, à payer avant le {due}",
    "de": "Prämie {reference} — {total}, zahlbar bis {due}",
}
_CONDITIONS_TITLES = {
    "nl": "Bijzondere voorwaarden van uw polis ongevallen privéleven — start {start}",
    "fr": "Conditions particulières de votre police accidents vie privée — début le {start}",
    "de": "Besondere Bedingungen Ihrer Police Unfälle Privatleben — Beginn am {start}",
}
# PC-7/PC-8: an accepted amendment issues new special conditions from its effective date.
_NEW_CONDITIONS_TITLES = {
    "nl": "Nieuwe bijzondere voorwaarden van uw polis ongevallen privéleven — vanaf {since}",
    "fr": "Nouvelles conditions particulières de votre police accidents vie privée — à partir"
    " du {since}",
    "de": "Neue besondere Bedingungen Ihrer Police Unfälle Privatleben — ab {since}",
}


@dataclass(frozen=True)
class InboxDocument:
    document_id: str
    member_id: str
    kind: DocumentKind
    title: str
    source_id: str
    created_at: datetime
    read: bool = False
    body: str | None = None  # a letter's plain text (claims); other kinds have only a title

    @property
    def download(self) -> str | None:
        """Where the member fetches the PDF: policy-svc renders the special conditions;
        billing has no PDF of an invoice (its lines are in billing's API)."""
        if self.kind == "policy_conditions":
            policy_id = self.source_id.split(":", 1)[0]  # an amendment's: policy:amendment
            return f"/v1/policies/{policy_id}/conditions"
        return None


def document_id_for(kind: DocumentKind, source_id: str) -> str:
    """Deterministic: the same invoice always files the same document (idempotent effect)."""
    return str(uuid5(NAMESPACE_URL, f"mylm:inbox:{kind}:{source_id}"))


def invoice_title(
    language: str, reference: str, total: Decimal, due_date: date, *, premium: bool = False
) -> str:
    titles = _PREMIUM_TITLES if premium else _INVOICE_TITLES
    template = titles.get(language, titles["nl"])
    return template.format(reference=reference, total=euro(total, language), due=day(due_date))


def conditions_title(language: str, start_date: date) -> str:
    """The start date written out ("1 januari 2026"), as on the conditions themselves."""
    template = _CONDITIONS_TITLES.get(language, _CONDITIONS_TITLES["nl"])
    start = format_date(start_date, "long", locale=LOCALES.get(language, "nl_BE"))
    return template.format(start=start)


def amended_conditions_source(policy_id: str, amendment_id: str) -> str:
    """One document per accepted amendment (PC-7), its policy first (the download)."""
    return f"{policy_id}:{amendment_id}"


def new_conditions_title(language: str, effective_on: date) -> str:
    """PC-7: the date the new terms apply from, written out as on the conditions."""
    template = _NEW_CONDITIONS_TITLES.get(language, _NEW_CONDITIONS_TITLES["nl"])
    since = format_date(effective_on, "long", locale=LOCALES.get(language, "nl_BE"))
    return template.format(since=since)
