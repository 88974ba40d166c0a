"""E-mails about a claim (CL-1: the insured is kept informed), one per milestone, in the
claimant's language (``claim_letter.{nl,fr,de}.txt``).

Kinds (the same as the inbox's letters): ``claim_acknowledgement``,
``claim_documents_requested``, ``claim_decision`` (accepted or rejected), ``claim_offer``,
``claim_offer_accepted``, ``claim_payment``, ``claim_closed``, and
``claim_payout_account`` (issue 15 item 7: the payout account set or changed, masked).
The e-mail's id (and so its Message-ID) derives from the fact's business identity, not
the event id: the same fact published again under a new event id sends nothing more.
The engine's reasons exist in nl and fr; German-speaking members read the French one.
"""

from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

from mylm_shared.events import (
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
from mylm_shared.formatting import day, euro

BRUSSELS = ZoneInfo("Europe/Brussels")

ClaimEvent = (
    ClaimDeclaredV1
    | ClaimDocumentsRequestedV1
    | ClaimAcceptedV1
    | ClaimRejectedV1
    | ClaimOfferMadeV1
    | ClaimOfferAcceptedV1
    | ClaimPaidV1
    | ClaimClosedV1
    | ClaimPayoutAccountChangedV1
)


@dataclass(frozen=True)
class ClaimNotice:
    """What one claim e-mail says, formatted for ``language``; ``identity`` is the fact."""

    kind: str
    identity: str
    facts: dict[str, Any]

    @property
    def email_id(self) -> str:
        return str(uuid5(NAMESPACE_URL, f"mylm:notify:claim:{self.kind}:{self.identity}"))


def claim_notice(claim: ClaimEvent, language: str) -> ClaimNotice:
    lang = language if language in ("nl", "fr", "de") else "nl"
    facts: dict[str, Any] = {"number": claim.claim_number}
    match claim:
        case ClaimDeclaredV1():
            due = claim.next_deadline
            facts |= {
                "cover": claim.cover,
                "event_date": day(claim.event_date),
                "declared_on": day(claim.declared_on),
                "late": claim.late_declaration,
                "deadline_kind": due.kind if due else None,
                "deadline_due": day(due.due_on) if due else None,
            }
            return ClaimNotice("claim_acknowledgement", claim.claim_id, facts)
        case ClaimDocumentsRequestedV1():
            by = day(claim.respond_by) if claim.respond_by else None
            facts |= {"documents": claim.documents, "respond_by": by}
            # The contract has no request id: the request is its date and its list.
            identity = f"{claim.claim_id}:{claim.respond_by}:{','.join(sorted(claim.documents))}"
            return ClaimNotice("claim_documents_requested", identity, facts)
        case ClaimAcceptedV1() | ClaimRejectedV1():
            accepted = isinstance(claim, ClaimAcceptedV1)
            outcome = claim.outcome if isinstance(claim, ClaimAcceptedV1) else "rejected"
            ceiling = claim.ceiling if isinstance(claim, ClaimAcceptedV1) else None
            deductible = claim.deductible if isinstance(claim, ClaimAcceptedV1) else None
            facts |= {
                "outcome": outcome,
                "accepted": accepted,
                "reason": claim.reason.nl if lang == "nl" else claim.reason.fr,
                "rules": ", ".join(claim.rules),
                "ceiling": euro(ceiling, lang) if ceiling is not None else None,
                "deductible": euro(deductible, lang) if deductible is not None else None,
            }
            # A staff override is a new decision, so a new e-mail.
            identity = f"{claim.claim_id}:{outcome}" + (":override" if claim.overridden else "")
            return ClaimNotice("claim_decision", identity, facts)
        case ClaimOfferMadeV1():
            by = day(claim.respond_by) if claim.respond_by else None
            facts |= {
                "offer_kind": claim.kind,
                "amount": euro(claim.amount, lang),
                "respond_by": by,
            }
            return ClaimNotice("claim_offer", f"{claim.claim_id}:{claim.offer_id}", facts)
        case ClaimOfferAcceptedV1():
            facts |= {
                "amount": euro(claim.amount, lang),
                "accepted_on": day(claim.accepted_on),
                "pay_by": day(claim.pay_by),
            }
            return ClaimNotice("claim_offer_accepted", f"{claim.claim_id}:{claim.offer_id}", facts)
        case ClaimPaidV1():
            facts |= {
                "amount": euro(claim.amount, lang),
                "paid_on": day(claim.paid_on),
                "account": f"**** **** **** {claim.iban_last4}",
            }
            return ClaimNotice("claim_payment", f"{claim.claim_id}:{claim.payout_id}", facts)
        case ClaimPayoutAccountChangedV1():
            previous = claim.previous_iban_last4
            facts |= {
                "account": f"**** **** **** {claim.iban_last4}",
                "previous": f"**** **** **** {previous}" if previous else None,
                "changed_on": day(claim.changed_at.astimezone(BRUSSELS).date()),
                "acted": claim.acted_by is not None,
            }
            # Each change is its own fact: the same account set again later is another.
            identity = f"{claim.claim_id}:{claim.payout_id}:{claim.changed_at.isoformat()}"
            return ClaimNotice("claim_payout_account", identity, facts)
        case ClaimClosedV1():
            facts |= {"closed_on": day(claim.closed_on), "closed_reason": claim.reason}
            return ClaimNotice("claim_closed", claim.claim_id, facts)
