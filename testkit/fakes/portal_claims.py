"""A fake of the portal's claims port (``portal.upstream.claims.ClaimsPort``, issue 20
item 2): claims-svc's member routes, the member's contracts and the claim letters, in
memory, answering as the services do for what the pages rely on (403/404 for another
member, 422 with ``errors`` naming a field, CL-1's rule, the fresh-login 401, 409)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from portal.ports import Download, ServiceProblem
from portal.upstream.claims import (
    FRESH_LOGIN_TYPE,
    Claim,
    ClaimRefused,
    Deadline,
    Evidence,
    EvidenceFile,
    HistoryEntry,
    Offer,
    Payout,
)

from testkit.fakes.portal import FakeIdentity
from testkit.fakes.portal_policy import FakePolicy

TODAY = date(2026, 12, 2)
EVIDENCE_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff")


def valid_iban(iban: str) -> bool:
    """ISO 13616 mod 97, as python-stdnum checks it in claims-svc (enough for a fake)."""
    compact = iban.replace(" ", "").upper()
    if len(compact) < 15 or not compact[:2].isalpha():
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


@dataclass
class FakeClaims:
    identity: FakeIdentity
    stored: dict[str, Claim] = field(default_factory=dict)  # claim id → claim
    # the contracts a declaration may name: policy-svc's (as claims-svc asks it)
    policy: FakePolicy | None = None
    files: dict[tuple[str, str], EvidenceFile] = field(default_factory=dict)
    declared: list[dict[str, Any]] = field(default_factory=list)  # the bodies received
    keys: dict[str, str] = field(default_factory=dict)  # idempotency key → claim id
    # tokens of a login older than claims-svc's FRESH_LOGIN_SECONDS: accepting with one
    # answers 401 fresh-login-required
    stale_tokens: set[str] = field(default_factory=set)
    accepted_with: list[tuple[str, str]] = field(default_factory=list)  # (token, iban)
    numbers: int = 0

    def _mine(self, access_token: str, claim_id: str) -> Claim | None:
        member = self.identity.member_of(access_token)
        found = self.stored.get(claim_id)
        if found is None or found.member_id != member.member_id:
            return None
        return found

    async def claims(self, access_token: str, member_id: str) -> list[Claim]:
        member = self.identity.member_of(access_token)
        if member.member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")
        mine = [c for c in self.stored.values() if c.member_id == member_id]
        return sorted(mine, key=lambda c: c.claim_number, reverse=True)

    async def claim(self, access_token: str, claim_id: str) -> Claim | None:
        return self._mine(access_token, claim_id)

    async def declare(self, access_token: str, body: dict[str, Any], idempotency_key: str) -> Claim:
        member = self.identity.member_of(access_token)
        if body["member_id"] != member.member_id:
            raise ServiceProblem(403, "Not your dossier.")
        if idempotency_key in self.keys:
            return self.stored[self.keys[idempotency_key]]
        facts = body["facts"]
        if body["cover"] == "e_merchant_goods" and Decimal(facts["price"]) > Decimal("1000000"):
            raise ClaimRefused(
                422,
                "The request is not valid; see errors.",
                fields=("principal_stake",),
            )
        event = date.fromisoformat(body["event_date"])
        if event > TODAY:
            raise ClaimRefused(422, "declared before the event", rule="CL-1")
        policy = body.get("policy_id")
        held = self.policy.held.get(member.member_id, []) if self.policy else []
        if policy is not None and policy not in {p.policy_id for p in held}:
            raise ClaimRefused(422, "No such contract of the claimant covers the event date")
        self.declared.append(body)
        self.numbers += 1
        claim = Claim(
            claim_id=f"claim-{self.numbers}",
            claim_number=f"CL-2026-{self.numbers:06d}",
            member_id=member.member_id,
            policy_id=policy or "pol-auto",
            cover=body["cover"],
            event_date=event,
            declared_on=TODAY,
            status="declared",
            outcome="covered",
            reason={"nl": "Gedekt: LA-8.", "fr": "Couvert\u00a0: LA-8."},
            deadlines=(Deadline("lar_refund", "insurer", TODAY + timedelta(days=91), "LA-8"),),
            history=(HistoryEntry("declared", datetime(2026, 12, 2, 8, 30, tzinfo=UTC)),),
        )
        self.stored[claim.claim_id] = claim
        self.keys[idempotency_key] = claim.claim_id
        return claim

    async def add_evidence(self, access_token: str, claim_id: str, file: EvidenceFile) -> None:
        claim = self._mine(access_token, claim_id)
        if claim is None:
            raise ServiceProblem(404, "No such claim.")
        if not claim.open:
            raise ServiceProblem(409, "Decided or closed.")
        if not file.data.startswith(EVIDENCE_MAGIC):
            raise ServiceProblem(415, "Not a PDF, JPEG or PNG.")
        document_id = f"doc-{len(self.files) + 1}"
        self.files[(claim_id, document_id)] = file
        evidence = Evidence(
            document_id,
            file.file_name,
            file.media_type,
            len(file.data),
            datetime(2026, 12, 2, 8, 31, tzinfo=UTC),
        )
        self.stored[claim_id] = replace(claim, documents=(*claim.documents, evidence))

    async def evidence(self, access_token: str, claim_id: str, document_id: str) -> Download | None:
        if self._mine(access_token, claim_id) is None:
            return None
        found = self.files.get((claim_id, document_id))
        if found is None:
            return None
        data = found.data

        async def chunks() -> AsyncIterator[bytes]:
            yield data

        return Download(found.media_type, f'attachment; filename="{found.file_name}"', chunks())

    async def accept(self, access_token: str, claim_id: str, offer_id: str, iban: str) -> Payout:
        claim = self._mine(access_token, claim_id)
        if claim is None:
            raise ClaimRefused(404, "No such claim.")
        offer = next((o for o in claim.offers if o.offer_id == offer_id), None)
        if offer is None:
            raise ClaimRefused(404, "No such offer.")
        if offer.status == "superseded":
            raise ClaimRefused(409, "Superseded.")
        if not valid_iban(iban):
            raise ClaimRefused(422, "iban: not a valid IBAN", fields=("iban",))
        if access_token in self.stale_tokens:
            raise ClaimRefused(401, "log in again", type_=FRESH_LOGIN_TYPE)
        self.accepted_with.append((access_token, iban))
        payout = Payout(
            payout_id=f"payout-{offer_id}",
            offer_id=offer_id,
            amount=offer.amount,
            iban_last4=iban.replace(" ", "")[-4:],
            pay_by=TODAY + timedelta(days=30),
            rule="LA-6",
            status="instructed",
        )
        offers = tuple(
            replace(o, status="accepted", accepted_on=TODAY, pay_by=payout.pay_by)
            if o.offer_id == offer_id
            else o
            for o in claim.offers
        )
        self.stored[claim_id] = replace(
            claim,
            offers=offers,
            payouts=(*claim.payouts, payout),
            deadlines=(Deadline("payment", "insurer", payout.pay_by, "LA-6"),),
        )
        return payout

    def offer(self, claim_id: str, amount: str = "400.00") -> str:
        """Staff accept the claim and offer ``amount`` (the final offer)."""
        claim = self.stored[claim_id]
        offer = Offer(f"offer-{len(claim.offers) + 1}", "final", Decimal(amount), None, "open")
        self.stored[claim_id] = replace(claim, status="accepted", offers=(*claim.offers, offer))
        return offer.offer_id
