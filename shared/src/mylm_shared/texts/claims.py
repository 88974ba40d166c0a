"""A claim's milestones as texts for the claimant (CL-1: the insured is kept informed):
which text each claim event writes and the facts it says, the same for the inbox's
letter and the e-mail (issue 17 item 4).

Kinds: ``claim_acknowledgement`` (declared; CL-2: a late declaration is flagged),
``claim_documents_requested``, ``claim_decision`` (accepted or rejected: the outcome, the
engine's reason, the rules, ceiling and deductible), ``claim_offer``,
``claim_offer_accepted`` (PA-8 / LA-6: the day the payment is due at the latest),
``claim_payment``, ``claim_closed``, and ``claim_payout_account`` (issue 15 item 7: the
payout account set or changed, masked; an e-mail only). The facts are raw (dates,
amounts, the account's last four): the catalogue formats them per language.

Which fact a text is about (its document id, its e-mail id) stays with each service.
"""

from dataclasses import dataclass
from typing import Any

from mylm_shared.events.catalog import (
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimPayoutAccountChangedV1,
    ClaimRejectedV1,
)
from mylm_shared.kernel.periods import belgian_date
from mylm_shared.texts.catalogue import ClaimTextKind

# The events that write a letter in the claimant's inbox (and an e-mail) …
ClaimLetterEvent = (
    ClaimDeclaredV1
    | ClaimDocumentsRequestedV1
    | ClaimAcceptedV1
    | ClaimRejectedV1
    | ClaimOfferMadeV1
    | ClaimOfferAcceptedV1
    | ClaimPaidV1
    | ClaimClosedV1
)
# … and every claim event the claimant is told of (the payout account: an e-mail only).
ClaimEvent = ClaimLetterEvent | ClaimPayoutAccountChangedV1


@dataclass(frozen=True)
class ClaimText:
    """The text a claim event writes (``kind``) and what it says (``facts``)."""

    kind: ClaimTextKind
    facts: dict[str, Any]


def claim_text(claim: ClaimEvent) -> ClaimText:
    number = {"number": claim.claim_number}
    match claim:
        case ClaimDeclaredV1():
            due = claim.next_deadline
            return ClaimText(
                "claim_acknowledgement",
                number
                | {
                    "cover": claim.cover,
                    "event_date": claim.event_date,
                    "declared_on": claim.declared_on,
                    "late": claim.late_declaration,
                    "deadline_kind": due.kind if due else None,
                    "deadline_due": due.due_on if due else None,
                },
            )
        case ClaimDocumentsRequestedV1():
            return ClaimText(
                "claim_documents_requested",
                number | {"documents": claim.documents, "respond_by": claim.respond_by},
            )
        case ClaimAcceptedV1() | ClaimRejectedV1():
            accepted = claim if isinstance(claim, ClaimAcceptedV1) else None
            return ClaimText(
                "claim_decision",
                number
                | {
                    "outcome": accepted.outcome if accepted else "rejected",
                    "reason": claim.reason,
                    "rules": claim.rules,
                    "ceiling": accepted.ceiling if accepted else None,
                    "deductible": accepted.deductible if accepted else None,
                },
            )
        case ClaimOfferMadeV1():
            return ClaimText(
                "claim_offer",
                number
                | {
                    "offer_kind": claim.kind,
                    "amount": claim.amount,
                    "respond_by": claim.respond_by,
                },
            )
        case ClaimOfferAcceptedV1():
            return ClaimText(
                "claim_offer_accepted",
                number
                | {
                    "amount": claim.amount,
                    "accepted_on": claim.accepted_on,
                    "pay_by": claim.pay_by,
                },
            )
        case ClaimPaidV1():
            return ClaimText(
                "claim_payment",
                number
                | {
                    "amount": claim.amount,
                    "paid_on": claim.paid_on,
                    "iban_last4": claim.iban_last4,
                },
            )
        case ClaimPayoutAccountChangedV1():
            return ClaimText(
                "claim_payout_account",
                number
                | {
                    "iban_last4": claim.iban_last4,
                    "previous_iban_last4": claim.previous_iban_last4,
                    # the day in Belgium the change was made
                    "changed_on": belgian_date(claim.changed_at),
                    "acted": claim.acted_by is not None,
                },
            )
        case ClaimClosedV1():
            return ClaimText(
                "claim_closed",
                number | {"closed_on": claim.closed_on, "closed_reason": claim.reason},
            )
