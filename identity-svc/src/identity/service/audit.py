"""Proof of operations (LF-5; issue 15 item 6): verify an account's trail against its
HMACs and its latest checkpoint; and the user's own data export."""

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from identity.domain.audit import AuditKeys, Checkpoint, Verification, verify
from identity.service.context import IdentityContext, Origin, trail_of

# Never part of an export: secrets and their digests.
_SECRET_FIELDS = {"password_hash"}


@dataclass(frozen=True)
class AuditAnchors:
    """What a verification needs beside the stored trail: the HMAC keys (current and
    retired) and the latest checkpoint of a trail, read from outside the database."""

    keys: AuditKeys
    latest_checkpoint: Callable[[str], Awaitable[Checkpoint | None]]


async def record_acting(context: IdentityContext, origin: Origin, action: str) -> None:
    """LF-5, issue 15 item 6: an operation made with a token acting for someone (a
    titular in a dependant's dossier) goes into the dossier's trail, naming the actor
    (``by``: the actor's account, ``actor_member``) and the dossier (``acting_for``).
    Nothing for a user acting for themselves (their own operations are recorded where
    they change something)."""
    principal = origin.principal
    if principal is None or principal.actor is None or principal.member_id is None:
        return
    await context.record(
        principal.member_id, action, origin, actor_member=principal.actor.member_id
    )


def refresh_token_reuse_recorder(
    context: IdentityContext,
) -> Callable[[str, str], Awaitable[None]]:
    """LF-5, issue 15 item 6: a spent refresh token presented again (a stolen copy, or
    the legitimate one after a thief's use) goes into the account's trail."""

    async def record(account_id: str, family_id: str) -> None:
        account = await context.stores.accounts.get(account_id)
        trail = trail_of(account) if account is not None else account_id
        context.record_after_answer(trail, "refresh_token.reused", Origin(None), session=family_id)

    return record


@dataclass
class AuditUseCases:
    context: IdentityContext
    anchors: AuditAnchors

    async def verify(self, trail: str) -> Verification | None:
        """Every finding of the trail (rewritten, deleted, truncated, emptied …); None
        when there is no such trail, never was one (no checkpoint), nor such an account.
        Raises ``CheckpointUnavailable`` when the checkpoints cannot be read."""
        entries = await self.context.audit.entries(trail)
        checkpoint = await self.anchors.latest_checkpoint(trail)
        if not entries and checkpoint is None and not await self._known(trail):
            return None
        return verify(entries, self.anchors.keys, checkpoint)

    async def _known(self, trail: str) -> bool:
        stores = self.context.stores
        return (
            await stores.members.get(trail) is not None
            or await stores.accounts.get(trail) is not None
        )

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
