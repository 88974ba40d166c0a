"""The member directory: members as the mutuality's core system pushes them, one by
one (``register``) or in batches of up to 1,000 rows (``apply_batch``)."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar
from uuid import NAMESPACE_URL, uuid4, uuid5

from mylm_shared.aggregates import change
from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.unique_keys import KeyTaken

from identity.domain.keys import member_number_key, national_number_key
from identity.domain.members import UPDATABLE, InvalidMember, Member, MemberEntry
from identity.service.context import IdentityContext, Origin
from identity.service.member_rows import CheckedRow, RowError, check_row

MAX_BATCH_ROWS = 1000
# Rows applied at once: a few store round trips each; well under the 25 connections a
# service process may hold (docs/store.md).
BATCH_CONCURRENCY = 16

T = TypeVar("T")
R = TypeVar("R")


class MemberExists(Exception):
    """Another member holds this member number or national number."""


@dataclass
class Directory:
    context: IdentityContext

    async def member(self, member_id: str) -> Member | None:
        return await self.context.stores.members.get(member_id)

    async def member_by_number(self, member_number: str) -> Member | None:
        member_id = await self.context.stores.keys.owner(member_number_key(member_number))
        return await self.member(member_id) if member_id else None

    async def member_by_national_number(self, national_number: str) -> Member | None:
        member_id = await self.context.stores.keys.owner(national_number_key(national_number))
        return await self.member(member_id) if member_id else None

    async def dependants_of(self, titular_member_id: str) -> list[Member]:
        """The members whose *current* entry names this titular (household)."""
        found = await self.context.stores.members.current("titular_member_id", titular_member_id)
        return [m for m in found if m.titular_member_id == titular_member_id]

    async def register(self, entry: MemberEntry, member_id: str | None = None) -> Member:
        """A new member (emits ``member.registered``); ``MemberExists`` if its member
        number or national number is another member's."""
        member_id = member_id or str(uuid4())
        await self._claim(entry, member_id)
        member = Member.register(member_id, entry)
        with contextlib.suppress(AggregateExists):  # a retry stored it already
            await self.context.stores.members.save(member)
        return member

    async def _claim(self, entry: MemberEntry, member_id: str) -> None:
        keys = self.context.stores.keys
        national = national_number_key(entry.national_number)
        if await keys.owner(national) not in (None, member_id):
            # Checked first, so a taken INSZ leaves no member-number key behind.
            raise MemberExists(entry.member_number)
        try:
            await keys.claim(member_number_key(entry.member_number), member_id)
            await keys.claim(national, member_id)
        except KeyTaken:
            raise MemberExists(entry.member_number) from None

    async def apply_batch(self, rows: Sequence[object], origin: Origin) -> "BatchOutcome":
        """Upsert up to ``MAX_BATCH_ROWS`` members pushed by the core system (staff).

        Every row is checked on its own: invalid ones come back with their index and
        reasons, valid ones are applied. A new member number registers a member
        (``member.registered``); a known one updates it (``member.updated`` with what
        changed) or, unchanged, does nothing at all, so re-sending a batch emits nothing.
        Titulars of the same batch are applied before their dependants (household).
        Each applied change goes into the member's audit trail (LF-5)."""
        if len(rows) > MAX_BATCH_ROWS:
            raise BatchTooLarge(len(rows))
        outcome = BatchOutcome()
        checked: list[CheckedRow] = []
        for index, raw in enumerate(rows):
            result = check_row(index, raw)
            if isinstance(result, CheckedRow):
                checked.append(result)
            else:
                outcome.reject(index, *result, key=_loose_key(raw))
        unique = _unique_rows(checked, outcome)
        plans = await _bounded(unique, lambda row: self._plan(row, outcome))
        ready = await self._households([p for p in plans if p is not None], outcome)
        in_batch = {plan.row.key for plan in ready}
        first = [p for p in ready if p.row.titular_key not in in_batch]
        then = [p for p in ready if p.row.titular_key in in_batch]
        await _bounded(first, lambda plan: self._apply(plan, origin, outcome))
        applied = {plan.row.key for plan in first if plan.row.index in outcome.applied}
        for plan in then:
            if plan.row.titular_key not in applied:
                outcome.reject(plan.row.index, RowError("titular_member_number", _TITULAR_FAILED))
        await _bounded(
            [p for p in then if p.row.titular_key in applied],
            lambda plan: self._apply(plan, origin, outcome),
        )
        return outcome

    async def _plan(self, row: CheckedRow, outcome: "BatchOutcome") -> "_Plan | None":
        """Who the row is: a known member (its INSZ must match) or a new one."""
        keys = self.context.stores.keys
        owner = await keys.owner(row.key)
        current = await self.member(owner) if owner else None
        if current is not None and current.national_number != row.entry.national_number:
            message = "differs from the INSZ on file for this member number"
            outcome.reject(row.index, RowError("national_register_number", message), key=row.key)
            return None
        # A new member's id derives from its member number, so a batch re-sent after a
        # crash between claiming the keys and saving finds the keys its own. An owner
        # without a stored member is such an interrupted registration: finished here.
        member_id = owner or str(uuid5(NAMESPACE_URL, f"urn:mylm:{row.key}"))
        if current is None:
            holder = await keys.owner(national_number_key(row.entry.national_number))
            if holder not in (None, member_id):
                message = "another member number holds this INSZ"
                error = RowError("national_register_number", message)
                outcome.reject(row.index, error, key=row.key)
                return None
        return _Plan(row, member_id, current)

    async def _households(self, plans: list["_Plan"], outcome: "BatchOutcome") -> list["_Plan"]:
        """Resolve each dependant's titular (of this batch or known before); a titular
        is not itself a dependant, and a member who has dependants cannot become one."""
        by_key = {plan.row.key: plan for plan in plans}
        outside = {p.row.titular_key for p in plans if p.row.titular_key} - by_key.keys()
        known = dict(zip(outside, await _bounded(list(outside), self._member_by_key), strict=True))

        async def resolve(plan: _Plan) -> _Plan | None:
            row = plan.row
            if row.titular_key is None:
                return plan
            titular_id = None
            if (batch_titular := by_key.get(row.titular_key)) is not None:
                if batch_titular.row.titular_key is None:
                    titular_id = batch_titular.member_id
                else:
                    message = f"the titular is a dependant (row {batch_titular.row.index})"
                    outcome.reject(row.index, RowError("titular_member_number", message))
                    return None
            elif (stored := known.get(row.titular_key)) is None:
                message = outcome.why_unknown(row.titular_key)
                outcome.reject(row.index, RowError("titular_member_number", message))
                return None
            elif stored.titular_member_id is not None:
                message = "the titular is a dependant of another member"
                outcome.reject(row.index, RowError("titular_member_number", message))
                return None
            else:
                titular_id = stored.member_id
            if plan.current is not None and plan.current.titular_member_id is None:
                staying = [
                    d
                    for d in await self.dependants_of(plan.member_id)
                    if (moved := by_key.get(member_number_key(d.member_number))) is None
                    or moved.row.titular_key == row.key
                ]
                if staying:
                    message = f"this member is the titular of {len(staying)} dependant(s)"
                    error = RowError("titular_member_number", message)
                    outcome.reject(row.index, error, key=row.key)
                    return None
            entry = replace(row.entry, titular_member_id=titular_id)
            return replace(plan, row=replace(row, entry=entry))

        resolved = await _bounded(plans, resolve)
        return [plan for plan in resolved if plan is not None]

    async def _member_by_key(self, key: str) -> Member | None:
        owner = await self.context.stores.keys.owner(key)
        return await self.member(owner) if owner else None

    async def _apply(self, plan: "_Plan", origin: Origin, outcome: "BatchOutcome") -> None:
        entry, index = plan.row.entry, plan.row.index
        if plan.current is None:
            try:
                await self._claim(entry, plan.member_id)
            except MemberExists:
                message = "the member number or INSZ was taken meanwhile"
                outcome.reject(index, RowError(None, message))
                return
            member = Member.register(plan.member_id, entry)
            audited = self.context.audited(  # LF-5: in the same insert as the change
                "member.registered", origin, into=plan.member_id, member_number=entry.member_number
            )
            try:
                async with audited:
                    await self.context.stores.members.save(member)
            except AggregateExists:  # the same row of a batch sent twice at once
                pass
            else:
                outcome.applied[index] = plan.member_id
                return
        elif _unchanged(plan.current.entry, entry):
            outcome.applied[index] = plan.member_id
            return
        changed: tuple[str, ...] = ()

        def update(member: Member) -> None:
            nonlocal changed
            changed = member.update(entry)
            if not changed:
                raise _Unchanged  # nothing to save (a concurrent batch applied it)

        # LF-5: in the same insert as the change; what changed is known once applied
        audited = self.context.audited("member.updated", origin, into=plan.member_id)
        try:
            async with audited as details:

                def update_noting(member: Member) -> None:
                    update(member)
                    details["changed"] = list(changed)

                await change(self.context.stores.members, plan.member_id, update_noting)
        except _Unchanged:
            pass
        except InvalidMember as error:
            outcome.reject(index, RowError(None, str(error)))
            return
        outcome.applied[index] = plan.member_id


class BatchTooLarge(ValueError):
    """More rows than ``MAX_BATCH_ROWS``: nothing is applied."""


_TITULAR_FAILED = "the titular's row of this batch could not be applied"


@dataclass
class BatchOutcome:
    applied: dict[int, str] = field(default_factory=dict)  # row index → member id
    rejected: dict[int, list[RowError]] = field(default_factory=dict)
    # member-number keys of rows rejected for their own reasons (titulars' messages)
    rejected_keys: dict[str, int] = field(default_factory=dict)

    def reject(self, index: int, *errors: RowError, key: str | None = None) -> None:
        self.rejected.setdefault(index, []).extend(errors)
        if key is not None:
            self.rejected_keys.setdefault(key, index)

    def why_unknown(self, titular_key: str) -> str:
        if (index := self.rejected_keys.get(titular_key)) is not None:
            return f"the titular's row {index} was rejected"
        return "no member with this member number (in the directory or this batch)"


@dataclass(frozen=True)
class _Plan:
    row: CheckedRow
    member_id: str
    current: Member | None  # None: a new member


class _Unchanged(Exception):
    pass


def _unchanged(stored: MemberEntry, pushed: MemberEntry) -> bool:
    return all(getattr(stored, name) == getattr(pushed, name) for name in UPDATABLE)


def _unique_rows(rows: list[CheckedRow], outcome: BatchOutcome) -> list[CheckedRow]:
    """A member number or INSZ in more than one row: which row is right cannot be told,
    so every such row is rejected."""
    numbers: dict[str, list[int]] = {}  # an invalid row's member number counts too
    for key, index in outcome.rejected_keys.items():
        numbers[key] = [index]
    nationals: dict[str, list[int]] = {}
    for row in rows:
        numbers.setdefault(row.key, []).append(row.index)
        nationals.setdefault(row.entry.national_number, []).append(row.index)
    unique = []
    for row in rows:
        errors = [
            RowError(name, f"also in row(s) {', '.join(map(str, others))} of this batch")
            for name, seen in (
                ("member_number", numbers[row.key]),
                ("national_register_number", nationals[row.entry.national_number]),
            )
            if (others := [i for i in seen if i != row.index])
        ]
        if errors:
            outcome.reject(row.index, *errors, key=row.key)
        else:
            unique.append(row)
    return unique


def _loose_key(raw: object) -> str | None:
    """The member number of a row that failed its checks, if it names one."""
    number = raw.get("member_number") if isinstance(raw, dict) else None
    return member_number_key(number) if isinstance(number, str) and number.strip() else None


async def _bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]]) -> list[R]:
    """``work`` over every item, at most ``BATCH_CONCURRENCY`` at once, results in order."""
    gate = asyncio.Semaphore(BATCH_CONCURRENCY)

    async def one(item: T) -> R:
        async with gate:
            return await work(item)

    return list(await asyncio.gather(*(one(item) for item in items)))
