"""policy-svc's Mongo database: policies (versioned, with their outbox); the members it
knows are in ``members.py`` (collection ``MEMBERS``)."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mylm_shared.aggregates import Message, MongoAggregates, due_indexes, store_indexes
from mylm_shared.events import (
    POLICY_AMENDED,
    POLICY_ISSUED,
    POLICY_TERMINATED,
    PREMIUM_DUE,
    PolicyAmendedV1,
    PolicyIssuedV1,
    PolicyTerminatedV1,
    PremiumDueV1,
)
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase

from policy.adapters.amendments import terms_changes_document, terms_changes_from
from policy.adapters.history import history_document, history_from
from policy.adapters.premium_documents import (
    account_document,
    account_from,
    premium_messages,
    premium_v1,
)
from policy.domain.policy import (
    Acceptance,
    DeclaredPerson,
    Ending,
    HouseholdRevision,
    Policy,
    PolicyAmended,
    PolicyIssued,
    PolicyTerminated,
)
from policy.domain.product import Premium
from policy.service.premiums import NEXT_EVENT_ON

POLICIES = "policies"
MEMBERS = "members"

INDEXES: list[IndexSpec] = [
    *store_indexes(POLICIES, "member_id"),
    *due_indexes(POLICIES, NEXT_EVENT_ON),
]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _acceptance_document(acceptance: Acceptance | None) -> Document | None:
    if acceptance is None:
        return None
    return {
        "version": acceptance.version,
        "at": acceptance.at.isoformat(),
        "by": acceptance.by,
    }


def _acceptance_from(doc: Document | None) -> Acceptance | None:
    # Policies accepted before issue 20 recorded no acceptance: None.
    if not doc:
        return None
    return Acceptance(doc["version"], datetime.fromisoformat(doc["at"]), doc["by"])


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
            "premiums": account_document(policy.premiums),
            NEXT_EVENT_ON: _iso(step.on) if (step := policy.next_step) else None,
            "terms_changes": terms_changes_document(policy.terms_changes),
            "history": history_document(policy.history),
            "acceptance": _acceptance_document(policy.acceptance),
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
            premiums=account_from(doc.get("premiums")),
            terms_changes=terms_changes_from(doc.get("terms_changes", ())),
            history=history_from(doc.get("history", ())),
            acceptance=_acceptance_from(doc.get("acceptance")),
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
            case PolicyAmended(policy=policy, change=c):
                amended = PolicyAmendedV1(
                    policy_id=policy.policy_id,
                    member_id=policy.member_id,
                    amendment_id=c.amendment_id,
                    kind=c.kind,
                    formula=c.formula,
                    effective_on=c.effective_on,
                    premium=premium_v1(c.premium),
                )
                # PC-8: the new special conditions request the increase of each term
                # already invoiced, one invoice per (policy, term, amendment) in billing.
                dues = [
                    PremiumDueV1(
                        policy_id=policy.policy_id,
                        member_id=policy.member_id,
                        term_number=a.term_number,
                        due_date=a.due_on,
                        premium=premium_v1(a.amount),
                        adjustment_of=c.amendment_id,
                    )
                    for a in c.adjustments
                    if a.requested
                ]
                return [
                    Message(POLICY_AMENDED, amended, policy.member_id),
                    *(Message(PREMIUM_DUE, due, policy.member_id) for due in dues),
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
        if (messages := premium_messages(event)) is not None:
            return messages
        raise TypeError(f"no bus message for {event!r}")


def policy_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[Policy]:
    return MongoAggregates(db[POLICIES], PolicyMapper(), source)
