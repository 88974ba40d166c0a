"""Claim use cases: declare (idempotently, with the engine's decision), evidence files,
documents requested, staff's decision, reads. They depend on ports only."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import uuid4

from mylm_shared.aggregates import AggregateStore, change
from mylm_shared.kernel import idempotency
from mylm_shared.kernel.periods import belgian_date

from claims.domain.claim import Claim, ReceivedDocument, StaffOutcome
from claims.domain.engine import decide
from claims.domain.facts import Claim as EngineClaim
from claims.domain.facts import Cover, Facts
from claims.service.evidence import media_type_of
from claims.service.policies import (
    PolicyFacts,
    PolicyGateway,
    contract_on,
    covering_policy,
    on_the_contract,
    runs_on,
)
from claims.service.ports import FileStore, StoredFile


class ClaimNumbers(Protocol):
    """Human claim numbers, unique (``CL-2026-000123``)."""

    async def next(self, year: int) -> str: ...


class UnknownClaim(Exception):
    pass


class UnknownPolicy(Exception):
    """The policy named does not exist, is not one of the claimant's on the event date
    (issue 15 item 3: answered alike, so nothing of another member's contract leaks), or
    the claimant has none covering the event."""


@dataclass(frozen=True)
class Declare:
    member_id: str  # the claimant
    policy_id: str | None
    cover: Cover
    event_date: date
    facts: Facts  # typed, for the engine
    facts_json: dict[str, Any]  # the validated JSON, stored

    def fingerprint(self) -> str:
        return idempotency.fingerprint(
            self.member_id, self.policy_id, self.cover, self.event_date, self.facts_json
        )


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ClaimsService:
    claims: AggregateStore[Claim]
    numbers: ClaimNumbers
    policies: PolicyGateway
    files: FileStore
    max_file_bytes: int = 10 * 1024 * 1024
    now: Callable[[], datetime] = _now

    def today(self) -> date:
        """The day a declaration is received, in Belgium (CL-1)."""
        return belgian_date(self.now())

    async def declare(
        self,
        command: Declare,
        declared_by: str,
        idempotency_key: str | None,
        acted_by: str | None = None,
    ) -> tuple[Claim, bool]:
        """Returns the claim and whether this call created it. The engine decides at
        declaration on the contract's state on the event date; a late declaration is
        flagged (CL-2), never refused. ``declared_by`` is the account that declares;
        ``acted_by`` the titular's member id when a titular declares acting for the
        claimant (issue 15 item 7), whose contracts are then looked at too. The same
        caller and Idempotency-Key replay the claim, with another request they raise
        ``IdempotencyConflict`` (``mylm_shared.kernel.idempotency``)."""
        # A titular's key is theirs per dossier: the same key for two children is two claims.
        scope = declared_by if acted_by is None else f"{declared_by}>{command.member_id}"
        claim_id = idempotency.derived_id("claim", idempotency_key, caller=scope)
        fingerprint = command.fingerprint()

        async def declare() -> Claim:
            return await self._declare(command, claim_id, fingerprint, declared_by, acted_by)

        return await idempotency.create_once(
            self.claims, claim_id, fingerprint, declare, idempotency_key=idempotency_key
        )

    async def _declare(
        self,
        command: Declare,
        claim_id: str,
        fingerprint: str,
        declared_by: str,
        acted_by: str | None,
    ) -> Claim:
        """Decides and stores a new claim (``AggregateExists``: its id is taken)."""
        at = self.now()
        declared_on = self.today()
        policy = await self._policy(command, acted_by)
        state = await self.policies.state_on(policy.policy_id, command.event_date)
        if state is None:
            raise UnknownPolicy(policy.policy_id)
        # Issue 16: every other claim on the policy, as the engine weighs it: LA-1 counts
        # e-protection claims neither rejected nor withdrawn; AS-2 the assistance services
        # granted to this claimant for the same accident, whatever the order declared.
        prior = [
            c.as_prior(command.member_id)
            for c in await self.claims.current("policy_id", policy.policy_id)
            if c.claim_id != claim_id
        ]
        contract, insured = contract_on(policy, state, command.member_id, prior)
        engine = decide(
            contract,
            EngineClaim(command.event_date, declared_on, command.facts, claimant_insured=insured),
        )
        claim = Claim.declare(
            claim_id=claim_id,
            claim_number=await self.numbers.next(declared_on.year),
            member_id=command.member_id,
            policy_id=policy.policy_id,
            cover=command.cover,
            event_date=command.event_date,
            declared_on=declared_on,
            facts=command.facts_json,
            engine=engine,
            declared_by=declared_by,
            at=at,
            request_fingerprint=fingerprint,
            policyholder_id=policy.policyholder_id,
            acted_by=acted_by,
        )
        await self.claims.save(claim)
        return claim

    async def _policy(self, command: Declare, acted_by: str | None) -> PolicyFacts:
        """The contract the claim is on: the one named, if it is the claimant's on the
        event date (issue 15 item 3, ``on_the_contract``); else the claimant's own as
        policyholder running that day, or, for a titular acting for them, the titular's
        running that day that insures them (AC-2/AC-5: the dependant's contracts)."""
        if command.policy_id is not None:
            found = await self.policies.policy(command.policy_id)
            if found is None or not await self._claimants(found, command):
                raise UnknownPolicy(command.policy_id)
            return found
        mine = covering_policy(
            await self.policies.policies_of(command.member_id), command.event_date
        )
        if mine is None and acted_by is not None:
            titulars = await self.policies.policies_of(acted_by)
            running = [p for p in titulars if p.signed and runs_on(p, command.event_date)]
            for candidate in sorted(running, key=lambda p: p.start_date, reverse=True):
                if await self._claimants(candidate, command):
                    return candidate
        if mine is None:
            raise UnknownPolicy(f"no contract of {command.member_id} on {command.event_date}")
        return mine

    async def _claimants(self, policy: PolicyFacts, command: Declare) -> bool:
        """Issue 15 item 3: the claimant is its policyholder or insured on the event date."""
        if policy.policyholder_id == command.member_id:
            return True
        insured = await self.policies.insured_on(policy.policy_id, command.event_date)
        return insured is not None and on_the_contract(
            policy, command.member_id, command.event_date, insured
        )

    async def claim(self, claim_id: str) -> Claim | None:
        return await self.claims.get(claim_id)

    async def claims_of(self, member_id: str, *, limit: int, offset: int) -> list[Claim]:
        """Newest declaration first; the caller checked access to the member's dossier."""
        found = await self.claims.current("member_id", member_id)
        found.sort(key=lambda c: (c.declared_on, c.history[0].at, c.claim_number), reverse=True)
        return found[offset : offset + limit]

    async def add_document(
        self, claim_id: str, file_name: str, content: bytes, by: str, acted_by: str | None = None
    ) -> ReceivedDocument:
        """Evidence (type checked by content, size limited); the bytes are stored first,
        so a claim never names a file that is not there. ``by``: the account uploading;
        ``acted_by``: the titular acting for the claimant (issue 15 item 7)."""
        media_type = media_type_of(content, self.max_file_bytes)
        if await self.claims.get(claim_id) is None:
            raise UnknownClaim(claim_id)
        document = ReceivedDocument(
            document_id=str(uuid4()),
            file_name=file_name,
            media_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            at=self.now(),
            by=by,
            acted_by=acted_by,
        )
        await self.files.put(
            StoredFile(document.document_id, claim_id, media_type, file_name, content)
        )
        await self._change(claim_id, lambda c: c.receive_document(document))
        return document

    async def file(self, claim_id: str, document_id: str) -> StoredFile | None:
        return await self.files.get(claim_id, document_id)

    async def request_documents(
        self, claim_id: str, documents: tuple[str, ...], respond_by: date | None, by: str
    ) -> Claim:
        at = self.now()
        return await self._change(
            claim_id, lambda c: c.request_documents(documents, respond_by, at, by)
        )

    async def decide(
        self, claim_id: str, outcome: StaffOutcome, reason: str | None, by: str
    ) -> Claim:
        at = self.now()
        return await self._change(claim_id, lambda c: c.decide(outcome, reason, at, by))

    async def _change(self, claim_id: str, apply: Callable[[Claim], object]) -> Claim:
        def run(claim: Claim) -> None:
            apply(claim)

        changed = await change(self.claims, claim_id, run)
        if changed is None:
            raise UnknownClaim(claim_id)
        return changed
