"""Idempotent creates: one request, one resource, however often it is sent (issue 17 item 3).

Every create that takes an ``Idempotency-Key`` (invoices, payments, policies, claims, and
what comes next) works the same way, so it is written once, here:

1. **Derived id.** The id of the resource to create is derived from the key and the
   caller (``derived_id``): the same caller sending the same key names the same resource,
   so a retry finds (or collides with) the first. Without a key the id is fresh and every
   request is a new resource.
2. **Fingerprint.** The request's fingerprint (``fingerprint``: SHA-256 of its canonical
   JSON) is stored with the resource (``request_fingerprint``).
3. **Replay or conflict** (``create_once``). With a key, an earlier resource under that id
   is looked up first: the same fingerprint replays it (nothing is created, no second
   event), another one raises ``IdempotencyConflict`` (the entrypoint answers 409 with
   ``mylm_shared.problems.idempotency_key_reused``). Otherwise the resource is created;
   when its id turns out to be taken (``AggregateExists``: a concurrent retry stored it
   first, the unique ``_id`` decides on FerretDB and MongoDB alike) the winner is replayed
   or, if it came from another request, the conflict raised.

Pure Python (no framework, no I/O): the store is any port with ``get``.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from mylm_shared.kernel.domain import AggregateExists


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request."""


class Fingerprinted(Protocol):
    """A resource created idempotently keeps the fingerprint of the request that made it."""

    @property
    def request_fingerprint(self) -> str: ...


R = TypeVar("R", bound=Fingerprinted)
R_co = TypeVar("R_co", bound=Fingerprinted, covariant=True)


class Resources(Protocol[R_co]):
    """Where created resources are found by id (an ``AggregateStore``, a journal …)."""

    async def get(self, resource_id: str, /) -> R_co | None: ...


def _canonical(value: object) -> str:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    # Anything else (a set, an object) has no stable canonical form.
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def fingerprint(*parts: object) -> str:
    """SHA-256 of the request's parts as canonical JSON: keys sorted, dates ISO 8601,
    decimals as written (``Decimal("7.50")`` is not ``Decimal("7.5")``), tuples as lists.
    A set or other value without a stable order or form is refused (TypeError)."""
    canonical = json.dumps(list(parts), sort_keys=True, default=_canonical)
    return hashlib.sha256(canonical.encode()).hexdigest()


def derived_id(kind: str, idempotency_key: str | None, *, caller: str | None) -> str:
    """The id of the ``kind`` of resource a request creates: derived from the key and the
    caller (``None``: the key alone names it, whoever sends it, e.g. a bank's transaction
    id), so a retry names the same resource and another caller's key another; a fresh id
    without a key."""
    if idempotency_key is None:
        return str(uuid4())
    scope = "" if caller is None else f"{caller}:"
    return str(uuid5(NAMESPACE_URL, f"mylm:{kind}:{scope}{idempotency_key}"))


async def replay_or_conflict(
    resources: Resources[R], resource_id: str, fingerprint: str
) -> R | None:
    """The resource an earlier request with this key created (None: there is none yet).
    Raises ``IdempotencyConflict`` when that request was another one."""
    existing = await resources.get(resource_id)
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise IdempotencyConflict(resource_id)
    return existing


async def create_once(
    resources: Resources[R],
    resource_id: str,
    fingerprint: str,
    create: Callable[[], Awaitable[R]],
    *,
    idempotency_key: str | None,
) -> tuple[R, bool]:
    """Returns the resource and whether this call created it.

    Only a request with an Idempotency-Key looks up an earlier resource before ``create``
    runs (``create`` validates, stores the resource under ``resource_id`` with
    ``fingerprint`` and returns it; it raises ``AggregateExists`` when the id is taken).
    Raises ``IdempotencyConflict``, or whatever ``create`` raises."""
    if idempotency_key is not None:
        existing = await replay_or_conflict(resources, resource_id, fingerprint)
        if existing is not None:
            return existing, False
    try:
        created = await create()
    except AggregateExists:  # a concurrent request with the same key stored it first
        winner = await replay_or_conflict(resources, resource_id, fingerprint)
        if winner is None:
            raise LookupError(f"{resource_id} is stored, yet cannot be read") from None
        return winner, False
    return created, True
