"""How a policy's premium facts are stored and what their events say on the bus (PC-4,
PC-5, PC-8); used by ``PolicyMapper``."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from mylm_shared.aggregates import Message
from mylm_shared.events import (
    POLICY_ACTIVATED,
    POLICY_RENEWED,
    POLICY_SUSPENDED,
    PREMIUM_DUE,
    PolicyActivatedV1,
    PolicyRenewedV1,
    PolicySuspendedV1,
    PremiumDueV1,
    PremiumV1,
)
from mylm_shared.mongo import Document

from policy.domain.premiums import (
    PaidPremium,
    PaymentNotice,
    PolicyActivated,
    PolicyRenewed,
    PolicySuspended,
    PremiumAccount,
)
from policy.domain.product import Premium


def account_document(account: PremiumAccount) -> Document:
    return {
        "paid": [
            {"term_number": p.term_number, "paid_on": p.paid_on.isoformat()} for p in account.paid
        ],
        "notices": [
            {
                "notice_id": n.notice_id,
                "term_number": n.term_number,
                "posted_on": n.posted_on.isoformat(),
                "channel": n.channel,
                "announces_termination": n.announces_termination,
                "admin_costs": str(n.admin_costs),
                "suspended_from": n.suspended_from.isoformat(),
                "terminates_on": n.terminates_on.isoformat() if n.terminates_on else None,
                "suspension_reported": n.suspension_reported,
            }
            for n in account.notices
        ],
        "renewed_through": account.renewed_through,
    }


def account_from(doc: dict[str, Any] | None) -> PremiumAccount:
    if not doc:  # stored before premiums existed
        return PremiumAccount()
    return PremiumAccount(
        paid=tuple(
            PaidPremium(p["term_number"], date.fromisoformat(p["paid_on"])) for p in doc["paid"]
        ),
        notices=tuple(
            PaymentNotice(
                notice_id=n["notice_id"],
                term_number=n["term_number"],
                posted_on=date.fromisoformat(n["posted_on"]),
                channel=n["channel"],
                announces_termination=n["announces_termination"],
                admin_costs=Decimal(n["admin_costs"]),
                suspended_from=date.fromisoformat(n["suspended_from"]),
                terminates_on=date.fromisoformat(n["terminates_on"])
                if n["terminates_on"]
                else None,
                suspension_reported=n["suspension_reported"],
            )
            for n in doc["notices"]
        ),
        renewed_through=doc["renewed_through"],
    )


def premium_messages(event: object) -> Sequence[Message] | None:
    """The bus messages of a premium event; None for any other event."""
    match event:
        case PolicyActivated():
            activated = PolicyActivatedV1(
                policy_id=event.policy_id,
                member_id=event.member_id,
                cover_from=event.cover_from,
                paid_on=event.paid_on,
            )
            return [Message(POLICY_ACTIVATED, activated, event.member_id)]
        case PolicyRenewed(term=term):
            renewed = PolicyRenewedV1(
                policy_id=event.policy_id,
                member_id=event.member_id,
                term_number=term.number,
                term_start=term.starts_on,
                term_end=term.expires_on,
            )
            # PC-5, PC-8: the renewed term's premium falls due on its first day (PC-12:
            # the premium as it stands, no indexation).
            due = PremiumDueV1(
                policy_id=event.policy_id,
                member_id=event.member_id,
                term_number=term.number,
                due_date=term.starts_on,
                premium=premium_v1(event.premium),
            )
            return [
                Message(POLICY_RENEWED, renewed, event.member_id),
                Message(PREMIUM_DUE, due, event.member_id),
            ]
        case PolicySuspended():
            suspended = PolicySuspendedV1(
                policy_id=event.policy_id,
                member_id=event.member_id,
                reason="non_payment",
                notice_posted_on=event.notice_posted_on,
                suspended_from=event.suspended_from,
            )
            return [Message(POLICY_SUSPENDED, suspended, event.member_id)]
    return None


def premium_v1(premium: Premium) -> PremiumV1:
    """PC-8's breakdown as the events carry it."""
    return PremiumV1(
        net=premium.net,
        taxes=premium.taxes,
        contributions=premium.contributions,
        total=premium.total,
    )
