"""policy-svc's Mongo database: policies (versioned, with their outbox) and the members it
knows (from ``member.registered`` / ``member.updated``, ``mylm_shared.projections``)."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from mylm_shared.aggregates import Message, MongoAggregates, store_indexes
from mylm_shared.events import (
    POLICY_ISSUED,
    POLICY_TERMINATED,
    PREMIUM_DUE,
    PolicyIssuedV1,
    PolicyTerminatedV1,
    PremiumDueV1,
    PremiumV1,
)
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.projections import apply_newer, insert_first
from pymongo.asynchronous.database import AsyncDatabase

from policy.domain.policy import (
    DeclaredPerson,
    Ending,
    HouseholdRevision,
    Policy,
    PolicyIssued,
    PolicyTerminated,
)
from policy.domain.product import Premium

POLICIES = "policies"
MEMBERS = "members"

INDEXES: list[IndexSpec] = [*store_indexes(POLICIES, "member_id")]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class PolicyMapper:
    """Policy ↔ stored document, and what its domain events say on the bus."""

    def to_document(self, policy: Policy) -> Document:
        ending = policy.ending
        return {
            "policy_id": policy.policy_id,
            "member_id": policy.member_id,
            "holder_name": policy.holder_name,
            "holder_birth_date": _iso(policy.holder_birth_date),
            "formula": policy.formula,
            "threshold_pct": policy.threshold_pct,
            "e_protection": policy.e_protection,
            "start_date": policy.start_date.isoformat(),
            "proposed_on": policy.proposed_on.isoformat(),
            "premium": {
                "net": str(policy.premium.net),
                "taxes": str(policy.premium.taxes),
                "contributions": str(policy.premium.contributions),
            },
            "status": policy.status,
            "signed_on": _iso(policy.signed_on),
            "household": [
                {
                    "since": r.since.isoformat(),
                    "persons": [
                        {
                            "person_id": p.person_id,
                            "name": p.name,
                            "birth_date": p.birth_date.isoformat(),
                            "relation": p.relation,
                            "lives_with_policyholder": p.lives_with_policyholder,
                            "married": p.married,
                            "studying": p.studying,
                        }
                        for p in r.persons
                    ],
                }
                for r in policy.household
            ],
            "ending": None
            if ending is None
            else {
                "reason": ending.reason,
                "by": ending.by,
                "rule": ending.rule,
                "notified_on": ending.notified_on.isoformat(),
                "channel": ending.channel,
                "effective_on": ending.effective_on.isoformat(),
            },
            "request_fingerprint": policy.request_fingerprint,
        }

    def from_document(self, doc: Document) -> Policy:
        premium: dict[str, str] = doc["premium"]
        ending: dict[str, Any] | None = doc.get("ending")
        return Policy(
            policy_id=doc["policy_id"],
            member_id=doc["member_id"],
            holder_name=doc["holder_name"],
            holder_birth_date=_day(doc.get("holder_birth_date")),
            formula=doc["formula"],
            threshold_pct=doc["threshold_pct"],
            e_protection=doc["e_protection"],
            start_date=date.fromisoformat(doc["start_date"]),
            proposed_on=date.fromisoformat(doc["proposed_on"]),
            premium=Premium(
                Decimal(premium["net"]),
                Decimal(premium["taxes"]),
                Decimal(premium["contributions"]),
            ),
            status=doc["status"],
            signed_on=_day(doc.get("signed_on")),
            household=tuple(
                HouseholdRevision(
                    date.fromisoformat(r["since"]),
                    tuple(
                        DeclaredPerson(
                            p["person_id"],
                            p["name"],
                            date.fromisoformat(p["birth_date"]),
                            p["relation"],
                            p["lives_with_policyholder"],
                            p["married"],
                            p["studying"],
                        )
                        for p in r["persons"]
                    ),
                )
                for r in doc.get("household", ())
            ),
            ending=None
            if ending is None
            else Ending(
                ending["reason"],
                ending["by"],
                ending["rule"],
                date.fromisoformat(ending["notified_on"]),
                ending["channel"],
                date.fromisoformat(ending["effective_on"]),
            ),
            request_fingerprint=doc.get("request_fingerprint", ""),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        match event:
            case PolicyIssued(policy=policy):
                assert policy.signed_on is not None
                issued = PolicyIssuedV1(
                    policy_id=policy.policy_id,
                    member_id=policy.member_id,
                    formula=policy.formula,
                    covers=list(policy.covers),
                    threshold_pct=policy.threshold_pct,
                    start_date=policy.start_date,
                    signed_on=policy.signed_on,
                    premium=premium_v1(policy.premium),
                )
                # PC-8: the first premium is requested at signing, due on the start date.
                due = PremiumDueV1(
                    policy_id=policy.policy_id,
                    member_id=policy.member_id,
                    term_number=1,
                    due_date=policy.start_date,
                    premium=premium_v1(policy.premium),
                )
                return [
                    Message(POLICY_ISSUED, issued, policy.member_id),
                    Message(PREMIUM_DUE, due, policy.member_id),
                ]
            case PolicyTerminated(policy=policy, ending=ending):
                terminated = PolicyTerminatedV1(
                    policy_id=policy.policy_id,
                    member_id=policy.member_id,
                    reason=ending.reason,
                    by=ending.by,
                    rule=ending.rule,
                    notified_on=ending.notified_on,
                    effective_on=ending.effective_on,
                )
                return [Message(POLICY_TERMINATED, terminated, policy.member_id)]
        raise TypeError(f"no bus message for {event!r}")


def premium_v1(premium: Premium) -> PremiumV1:
    return PremiumV1(
        net=premium.net,
        taxes=premium.taxes,
        contributions=premium.contributions,
        total=premium.total,
    )


class MongoMembers:
    """The members policy-svc may insure: name and birth date (PC-2) as the directory has
    them. Only the consumers write here; ``as_of`` keeps an older event from winning."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._members = db[MEMBERS]

    async def remember(
        self, member_id: str, name: str, birth_date: date | None, as_of: str
    ) -> None:
        await insert_first(self._members, member_id, _member(name, birth_date), as_of)

    async def update(self, member_id: str, name: str, birth_date: date | None, as_of: str) -> None:
        await apply_newer(self._members, member_id, _member(name, birth_date), as_of)

    async def find(self, member_id: str) -> tuple[str, date | None] | None:
        doc = await self._members.find_one({"_id": member_id})
        if doc is None:
            return None
        return doc["name"], _day(doc.get("birth_date"))


def _member(name: str, birth_date: date | None) -> Document:
    return {"name": name, "birth_date": _iso(birth_date), "updated_at": datetime.now(UTC)}


def policy_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[Policy]:
    return MongoAggregates(db[POLICIES], PolicyMapper(), source)
