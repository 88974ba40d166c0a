"""The letters of a claim in the claimant's inbox (CL-1: the insured is kept informed):
one per milestone, titled and written in the member's language (nl, fr, de). The texts
are the catalogue's (``mylm_shared.texts``, the same as the claim e-mails'); this module
says which fact each letter is about.

Kinds a member UI filters on (all start with ``claim_``): ``claim_acknowledgement``
(declared), ``claim_documents_requested``, ``claim_decision`` (accepted or rejected),
``claim_offer``, ``claim_offer_accepted``, ``claim_payment``, ``claim_closed``.

Each letter's ``source_id`` is the fact's business identity, so the same fact published
again under a new event id files nothing more: ``{claim_id}`` (acknowledgement, closure),
``{claim_id}:{outcome}[:override]`` (a staff override is a new decision),
``{claim_id}:{offer_id}`` (offer, its acceptance), ``{claim_id}:{payout_id}`` (payment),
``{claim_id}:{respond_by}:{documents}`` (a request; the contract has no request id).
"""

from dataclasses import dataclass

from mylm_shared import texts
from mylm_shared.events import (
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimRejectedV1,
)
from mylm_shared.texts import ClaimLetterEvent, ClaimLetterKind

ClaimKind = ClaimLetterKind


@dataclass(frozen=True)
class ClaimLetter:
    kind: ClaimKind
    source_id: str
    title: str
    body: str


def acknowledgement(claim: ClaimDeclaredV1, language: str) -> ClaimLetter:
    """CL-1: the claim number and the next deadline; CL-2: a late declaration is flagged."""
    return _letter(claim, claim.claim_id, language)


def documents_requested(request: ClaimDocumentsRequestedV1, language: str) -> ClaimLetter:
    by = request.respond_by
    source = f"{request.claim_id}:{by or '-'}:{','.join(sorted(request.documents))}"
    return _letter(request, source, language)


def decision(claim: ClaimAcceptedV1 | ClaimRejectedV1, language: str) -> ClaimLetter:
    """The outcome, the reason in words and the rules that decided it, the ceiling and
    deductible that apply."""
    outcome = claim.outcome if isinstance(claim, ClaimAcceptedV1) else "rejected"
    source = f"{claim.claim_id}:{outcome}" + (":override" if claim.overridden else "")
    return _letter(claim, source, language)


def offer(made: ClaimOfferMadeV1, language: str) -> ClaimLetter:
    return _letter(made, f"{made.claim_id}:{made.offer_id}", language)


def offer_accepted(accepted: ClaimOfferAcceptedV1, language: str) -> ClaimLetter:
    """PA-8 (1 month) / LA-6 (30 days): the day the payment is due at the latest."""
    return _letter(accepted, f"{accepted.claim_id}:{accepted.offer_id}", language)


def payment(paid: ClaimPaidV1, language: str) -> ClaimLetter:
    """The amount and the account it went to (masked)."""
    return _letter(paid, f"{paid.claim_id}:{paid.payout_id}", language)


def closure(closed: ClaimClosedV1, language: str) -> ClaimLetter:
    return _letter(closed, closed.claim_id, language)


def _letter(claim: ClaimLetterEvent, source_id: str, language: str) -> ClaimLetter:
    text = texts.claim_text(claim)
    if text.kind == "claim_payout_account":  # an e-mail only, never a letter event's
        raise ValueError(text.kind)
    letter = texts.letter(text.kind, language, **text.facts)
    return ClaimLetter(text.kind, source_id, letter.title, letter.body)
