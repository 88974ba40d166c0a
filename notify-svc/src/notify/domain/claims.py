"""E-mails about a claim (CL-1: the insured is kept informed), one per milestone, in the
claimant's language. The texts are the catalogue's (``mylm_shared.texts``, the same as
the inbox's letters, ``texts.claim_text`` for what each milestone says); this module
says which fact each e-mail is about.

Kinds (the same as the inbox's letters): ``claim_acknowledgement``,
``claim_documents_requested``, ``claim_decision`` (accepted or rejected), ``claim_offer``,
``claim_offer_accepted``, ``claim_payment``, ``claim_closed``, and
``claim_payout_account`` (issue 15 item 7: the payout account set or changed, masked).
The e-mail's id (and so its Message-ID) derives from the fact's business identity, not
the event id: the same fact published again under a new event id sends nothing more.
"""

from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from mylm_shared import texts
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
from mylm_shared.texts import ClaimEvent, ClaimTextKind

__all__ = ["ClaimEvent", "ClaimNotice", "claim_notice"]


@dataclass(frozen=True)
class ClaimNotice:
    """What one claim e-mail says (``kind``, ``facts``: ``mylm_shared.texts``); ``identity``
    is the fact."""

    kind: ClaimTextKind
    identity: str
    facts: dict[str, Any]

    @property
    def email_id(self) -> str:
        return str(uuid5(NAMESPACE_URL, f"mylm:notify:claim:{self.kind}:{self.identity}"))


def claim_notice(claim: ClaimEvent) -> ClaimNotice:
    text = texts.claim_text(claim)
    return ClaimNotice(text.kind, _identity(claim), text.facts)


def _identity(claim: ClaimEvent) -> str:
    match claim:
        case ClaimDocumentsRequestedV1():
            # The contract has no request id: the request is its date and its list.
            return f"{claim.claim_id}:{claim.respond_by}:{','.join(sorted(claim.documents))}"
        case ClaimAcceptedV1() | ClaimRejectedV1():
            # A staff override is a new decision, so a new e-mail.
            outcome = claim.outcome if isinstance(claim, ClaimAcceptedV1) else "rejected"
            return f"{claim.claim_id}:{outcome}" + (":override" if claim.overridden else "")
        case ClaimOfferMadeV1() | ClaimOfferAcceptedV1():
            return f"{claim.claim_id}:{claim.offer_id}"
        case ClaimPaidV1():
            return f"{claim.claim_id}:{claim.payout_id}"
        case ClaimPayoutAccountChangedV1():
            # Each change is its own fact: the same account set again later is another.
            return f"{claim.claim_id}:{claim.payout_id}:{claim.changed_at.isoformat()}"
        case ClaimDeclaredV1() | ClaimClosedV1():
            return claim.claim_id
