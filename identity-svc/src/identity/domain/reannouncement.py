"""identity's re-announcement of its directory (issue 18 item 3, EI-2): pure rules.

Consumers build projections of identity's members (billing: name, language, postal
address; inbox: language; notify: e-mail address) and billing's e-invoicing state is
switched on by ``account.created`` (EI-2: "De e-facturatie wordt automatisch geactiveerd
bij het aanmaken van een My LM account"). Kafka keeps a topic 7 days, so a consumer
that needs a field it never stored, or a member whose account is older than the
consumer's interest, would never hear of it again. identity therefore re-announces:

- every open account (active or suspended; an ended one has no inbox, and billing
  switched it off) as ``account.created`` dated at the account's ORIGINAL creation, so
  a consumer ordering by time (billing's ``on_account_created`` ignores an event older
  than the member's last switch) never lets the replay undo a later choice (EI-3);
- every member as ``member.updated`` with their whole current entry, dated just after
  the version it reflects was stored (``state_time``): newer than that version's own
  event, older than any later change's, so projections (``mylm_shared.projections``)
  take it over the registration they hold and never over a later state;
- each with an id derived from what it announces (the account; the member's version),
  never from the run: running the job twice, by the staff route or a replica, gives the
  same events, and every consumer deduplicates them by id.

What was stored after a run was opened is left out: this version announced it as it
happened (a member registered, an account opened meanwhile gets no second event).

``GENERATION`` is bumped when a consumer needs the directory's history again (a new
projection, a new consumer): identity's start-up opens the generation's run once
(recorded done in identity's database), run under a lease by one replica, as
``POST /v1/jobs/reannounce`` does on request.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_URL, uuid5

from identity.domain.accounts import Account, AccountCreated
from identity.domain.members import Member, MemberUpdated

# Bump when a consumer needs the directory's history again (issue 18 item 3: generation
# 1 gives billing the members' names and addresses and their e-invoicing, EI-2).
GENERATION = 1


def generation_run(generation: int = GENERATION) -> str:
    """The run id of a backfill generation (its batches and its record)."""
    return f"generation-{generation:04d}"


def request_run(number: int) -> str:
    """The run id of the ``number``-th staff request."""
    return f"request-{number:06d}"


@dataclass(frozen=True)
class Run:
    """A run to be done and when it was opened: what was stored after that was
    announced as it happened, by this version, and is not announced again."""

    run_id: str
    opened_at: datetime


@dataclass(frozen=True)
class StoredAccount:
    """An account's newest state and when its first version was stored."""

    account: Account
    first_saved_at: datetime


@dataclass(frozen=True)
class StoredMember:
    """A member's newest state, its version and when that version was stored."""

    member: Member
    version: int
    saved_at: datetime


@dataclass(frozen=True)
class Replayed:
    """One re-announced event: a domain event with its fixed id and time."""

    event: AccountCreated | MemberUpdated
    event_id: str
    at: datetime


def account_event_id(account_id: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"mylm:identity:backfill:account.created:{account_id}"))


def member_event_id(member_id: str, version: int) -> str:
    return str(uuid5(NAMESPACE_URL, f"mylm:identity:backfill:member.updated:{member_id}@{version}"))


def state_time(saved_at: datetime) -> datetime:
    """The time of a replayed member state: its version's stored time (BSON keeps
    milliseconds) plus one millisecond, strictly after that version's own event (made
    just before the store, with microseconds) and so taken over it by projections."""
    saved = saved_at if saved_at.tzinfo else saved_at.replace(tzinfo=UTC)
    whole_ms = saved.replace(microsecond=saved.microsecond // 1000 * 1000)
    return whole_ms + timedelta(milliseconds=1)


def _after(stored_at: datetime, opened_at: datetime) -> bool:
    aware = stored_at if stored_at.tzinfo else stored_at.replace(tzinfo=UTC)
    return aware > (opened_at if opened_at.tzinfo else opened_at.replace(tzinfo=UTC))


def replay_account(stored: StoredAccount, opened_at: datetime) -> Replayed | None:
    """``account.created`` again for an open account of a member (EI-2), dated at its
    original creation (for an account stored before that was recorded: its acceptance
    of the terms, else its first stored version). None: ended, staff, or created after
    the run was opened (its own ``account.created`` went out then)."""
    account = stored.account
    if account.member_id is None or account.status == "ended":
        return None
    if _after(stored.first_saved_at, opened_at):
        return None
    created = account.created_at or account.terms_accepted_at or stored.first_saved_at
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    event = AccountCreated(
        account_id=account.account_id,
        member_id=account.member_id,
        method="password" if account.password_hash else "csam",
        terms_version=account.terms_version or "",
        terms_accepted_at=account.terms_accepted_at or created,
    )
    return Replayed(event, account_event_id(account.account_id), created)


def replay_member(stored: StoredMember, opened_at: datetime) -> Replayed | None:
    """``member.updated`` with the member's whole current entry (nothing ``changed``);
    None when that state was stored after the run was opened (announced then)."""
    if _after(stored.saved_at, opened_at):
        return None
    member = stored.member
    event = MemberUpdated(member.member_id, member.entry, changed=())
    return Replayed(
        event, member_event_id(member.member_id, stored.version), state_time(stored.saved_at)
    )
