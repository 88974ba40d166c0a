"""Documents in a member's secure inbox (IN-1): one per source object, never twice."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.formatting import day, euro

DocumentKind = Literal["invoice"]

_INVOICE_TITLES = {
    "nl": "Factuur {reference} — {total}, te betalen vóór {due}",
    "fr": "Facture {reference} — {total}, à payer avant le {due}",
    "de": "Rechnung {reference} — {total}, zahlbar bis {due}",
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


def document_id_for(kind: DocumentKind, source_id: str) -> str:
    """Deterministic: the same invoice always files the same document (idempotent effect)."""
    return str(uuid5(NAMESPACE_URL, f"mylm:inbox:{kind}:{source_id}"))


def invoice_title(language: str, reference: str, total: Decimal, due_date: date) -> str:
    template = _INVOICE_TITLES.get(language, _INVOICE_TITLES["nl"])
    return template.format(reference=reference, total=euro(total, language), due=day(due_date))
