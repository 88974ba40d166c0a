"""Premium invoices (PC-8): a policy's premium for one term, invoiced to the policyholder.

One invoice per (policy, term), whatever delivers the request how often: its id derives
from the pair. Its lines show the PC-8 breakdown — net premium, taxes, contributions —
in the policyholder's language, and must add up to the premium's total.

A premium adjustment (PC-7/PC-8: an accepted amendment's difference for a term already
invoiced, "bij de uitgifte van nieuwe bijzondere voorwaarden") is a separate invoice per
(policy, term, amendment), its lines titled as an adjustment of that term.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, uuid5

from billing.domain.invoice import InvalidInvoice, Invoice, InvoiceLine

_LINE_NAMES = {
    "nl": ("Nettopremie", "Taksen", "Bijdragen", "termijn"),
    "fr": ("Prime nette", "Taxes", "Contributions", "terme"),
    "de": ("Nettoprämie", "Steuern", "Beiträge", "Laufzeit"),
}
_ADJUSTMENT_NAMES = {
    "nl": "Premieaanpassing — termijn",
    "fr": "Ajustement de prime — terme",
    "de": "Prämienanpassung — Laufzeit",
}


@dataclass(frozen=True)
class PremiumDue:
    policy_id: str
    member_id: str
    term_number: int
    due_date: date
    net: Decimal
    taxes: Decimal
    contributions: Decimal
    total: Decimal
    adjustment_of: str | None = None  # the amendment whose difference this is


def premium_invoice_id(policy_id: str, term_number: int, adjustment_of: str | None = None) -> str:
    """Deterministic: a redelivered or repeated ``premium.due`` finds the first invoice.
    A term's premium keeps the id it always had; an adjustment adds the amendment."""
    name = f"mylm:premium-invoice:{policy_id}:{term_number}"
    if adjustment_of is not None:
        name += f":adjustment:{adjustment_of}"
    return str(uuid5(NAMESPACE_URL, name))


def premium_invoice(due: PremiumDue, language: str, requested_on: date) -> Invoice:
    """The invoice, not yet issued (no structured reference), dated the day the premium
    was requested; the lines too. A request made after the term's due date (a contract
    signed after its start date) is due at once: an invoice is never dated back, and the
    invoice rules want issue ≤ due."""
    names = _LINE_NAMES.get(language, _LINE_NAMES["nl"])
    issue_date = requested_on
    parts = zip(names[:3], (due.net, due.taxes, due.contributions), strict=True)
    suffix = f" — {names[3]} {due.term_number}"
    if due.adjustment_of is not None:
        adjustment = _ADJUSTMENT_NAMES.get(language, _ADJUSTMENT_NAMES["nl"])
        suffix = f" — {adjustment} {due.term_number}"
    # A part of zero is left out: an invoice line is always a positive amount.
    lines = tuple(
        InvoiceLine(issue_date, name + suffix, amount) for name, amount in parts if amount
    )
    invoice = Invoice(
        invoice_id=premium_invoice_id(due.policy_id, due.term_number, due.adjustment_of),
        member_id=due.member_id,
        issue_date=issue_date,
        due_date=max(due.due_date, requested_on),
        lines=lines,
        structured_reference="",
        kind="premium",
        policy_id=due.policy_id,
        term_number=due.term_number,
        adjustment_of=due.adjustment_of,
    )
    if invoice.total != due.total:
        raise InvalidInvoice(f"PC-8: net + taxes + contributions is not the total {due.total}")
    return invoice
