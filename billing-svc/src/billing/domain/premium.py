"""Premium invoices (PC-8): a policy's premium for one term, invoiced to the policyholder.

One invoice per (policy, term), whatever delivers the request how often: its id derives
from the pair. Its lines show the PC-8 breakdown — net premium, taxes, contributions —
in the policyholder's language, and must add up to the premium's total.
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


def premium_invoice_id(policy_id: str, term_number: int) -> str:
    """Deterministic: a redelivered or repeated ``premium.due`` finds the first invoice."""
    return str(uuid5(NAMESPACE_URL, f"mylm:premium-invoice:{policy_id}:{term_number}"))


def premium_invoice(due: PremiumDue, language: str, requested_on: date) -> Invoice:
    """The invoice, not yet issued (no structured reference), dated the day the premium
    was requested; the lines too. A request made after the term's due date (a contract
    signed after its start date) is due at once: an invoice is never dated back, and the
    invoice rules want issue ≤ due."""
    names = _LINE_NAMES.get(language, _LINE_NAMES["nl"])
    issue_date = requested_on
    parts = zip(names[:3], (due.net, due.taxes, due.contributions), strict=True)
    suffix = f" — {names[3]} {due.term_number}"
    # A part of zero is left out: an invoice line is always a positive amount.
    lines = tuple(
        InvoiceLine(issue_date, name + suffix, amount) for name, amount in parts if amount
    )
    invoice = Invoice(
        invoice_id=premium_invoice_id(due.policy_id, due.term_number),
        member_id=due.member_id,
        issue_date=issue_date,
        due_date=max(due.due_date, requested_on),
        lines=lines,
        structured_reference="",
        kind="premium",
        policy_id=due.policy_id,
        term_number=due.term_number,
    )
    if invoice.total != due.total:
        raise InvalidInvoice(f"PC-8: net + taxes + contributions is not the total {due.total}")
    return invoice
