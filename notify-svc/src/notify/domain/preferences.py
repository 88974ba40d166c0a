"""Which e-mails a member wants (EI-4, issue 19 item 4): one switch per category, all on
until the member switches one off.

- ``invoices``: a new invoice (EI-4, a premium invoice too, PC-8) and its reminders (EI-5).
  Only for invoices delivered electronically (``invoice.issued``'s ``channel``, EI-2/EI-3).
- ``documents``: new documents in the inbox (IN-1; notify sends none of its own yet).
- ``policy``: the policy's amendment deadlines (PC-7).
- ``claims``: a claim's milestones (CL-1).

Not switchable (``category_of`` is None), whatever the member chose:
- security messages: the confirmation code for a new notification address and the notice
  to the old address that it changed (this module's ``address``), and the notice that a
  claim's payout account (IBAN) was set or changed (issue 15 item 7). The other security
  messages (registration/password codes, suspension, compromise) are sent by identity-svc,
  not by notify.
- the announcement that the e-invoicing conditions change (EI-6): the member must be told
  15 working days ahead, so it is not one of the ``invoices`` notifications either.
"""

from dataclasses import dataclass, replace
from typing import Literal, get_args

Category = Literal["invoices", "documents", "policy", "claims"]
CATEGORIES: tuple[Category, ...] = get_args(Category)

# Kinds of e-mail (``texts`` kinds) and the switch each one follows; not listed: always sent.
_CATEGORY_OF: dict[str, Category] = {
    "invoice_issued": "invoices",
    "invoice_reminder": "invoices",
    "amendment_reminded": "policy",
    "claim_acknowledgement": "claims",
    "claim_documents_requested": "claims",
    "claim_decision": "claims",
    "claim_offer": "claims",
    "claim_offer_accepted": "claims",
    "claim_payment": "claims",
    "claim_closed": "claims",
}
# Security messages and legal notices: never switched off (see the module docstring).
ALWAYS_SENT: frozenset[str] = frozenset(
    {
        "claim_payout_account",
        "notification_address_code",
        "notification_address_changed",
        "terms_changed",
    }
)


def category_of(kind: str) -> Category | None:
    """The switch an e-mail of ``kind`` follows; None: it cannot be switched off."""
    if kind in ALWAYS_SENT:
        return None
    return _CATEGORY_OF.get(kind)


@dataclass(frozen=True)
class Preferences:
    """The member's e-mail switches; a member who never chose has them all on (EI-4: the
    member is notified unless they switch it off)."""

    invoices: bool = True
    documents: bool = True
    policy: bool = True
    claims: bool = True

    def allows(self, kind: str) -> bool:
        """Whether an e-mail of ``kind`` goes out under these switches."""
        category = category_of(kind)
        return category is None or bool(getattr(self, category))

    def changed(self, switches: dict[Category, bool]) -> "Preferences":
        """These switches changed, the others kept (a PUT may give some or all)."""
        return replace(self, **switches)

    def as_dict(self) -> dict[Category, bool]:
        return {category: bool(getattr(self, category)) for category in CATEGORIES}

    @classmethod
    def of(cls, stored: dict[str, object] | None) -> "Preferences":
        """From the stored switches (missing ones on)."""
        stored = stored or {}
        return cls(**{c: bool(stored.get(c, True)) for c in CATEGORIES})
