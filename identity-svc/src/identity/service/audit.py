"""Proof of operations (LF-5): verify an account's trail; and the user's own data export."""

from dataclasses import asdict, dataclass
from typing import Any

from identity.domain.audit import Verification, verify
from identity.service.context import IdentityContext

# Never part of an export: secrets and their digests.
_SECRET_FIELDS = {"password_hash"}


@dataclass
class AuditUseCases:
    context: IdentityContext

    async def verify(self, trail: str) -> Verification | None:
        """Recompute the trail's chain; None when there is no such trail."""
        entries = await self.context.audit.entries(trail)
        if not entries and await self.context.stores.members.get(trail) is None:
            return None
        return verify(entries)

    async def export(self, member_id: str | None, account_id: str) -> dict[str, Any]:
        """Everything identity-svc holds about the user (GDPR access), no secrets."""
        context = self.context
        member = await context.stores.members.get(member_id) if member_id else None
        account = await context.stores.accounts.get(account_id)
        trail = member_id or account_id
        account_view = None
        if account is not None:
            account_view = {
                k: v
                for k, v in asdict(account).items()
                if k not in _SECRET_FIELDS and k not in ("events", "version")
            }
            account_view["roles"] = sorted(account.roles)
        return {
            "member": ({"member_id": member.member_id, **asdict(member.entry)} if member else None),
            "account": account_view,
            "sessions": await context.refresh_tokens.sessions_of(account_id),
            "audit_trail": [
                {"seq": e.seq, "at": e.at, **asdict(e.operation)}
                for e in await context.audit.entries(trail)
            ],
        }
