"""A fake of the portal's notify port (``portal.upstream.notify``), in memory (issue 20
item 2, settings): e-mail switches per category (EI-4) and the notification address
changed by a code, with notify's refusals (wrong code with attempts left, expired,
attempts used, nothing waiting, invalid address), and read back (``address``: in use,
from where, a change waiting)."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from portal.ports import ServiceProblem
from portal.upstream.notify import (
    AddressRefused,
    CodeSent,
    EmailSwitches,
    NotificationAddress,
    PendingAddress,
)

from testkit.fakes.portal import JAN, MARIE, FakeIdentity

CODE = "123456"
ATTEMPTS = 5
EXPIRES_AT = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)
ON_FILE = {JAN.member_id: "jan.peeters@example.org", MARIE.member_id: "marie.dubois@example.org"}


@dataclass
class Pending:
    address: str
    code: str
    attempts_left: int = ATTEMPTS
    expired: bool = False
    expires_at: datetime = EXPIRES_AT


@dataclass
class FakeNotify:
    identity: FakeIdentity
    switches: dict[str, EmailSwitches] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)  # confirmed, member id → address
    on_file: dict[str, str] = field(default_factory=lambda: dict(ON_FILE))  # the default
    pending: dict[str, Pending] = field(default_factory=dict)
    codes_sent: list[tuple[str, str]] = field(default_factory=list)  # (address, code)
    # set: request_address answers it (503: the code could not be e-mailed now; 429 with
    # retry_after: too many codes for the member, EI-4)
    send_failure: ServiceProblem | None = None
    # set: address answers it (e.g. 503: the section shows unavailable)
    address_failure: ServiceProblem | None = None

    def _dossier(self, access_token: str, member_id: str) -> None:
        if self.identity.member_of(access_token).member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")

    async def preferences(self, access_token: str, member_id: str) -> EmailSwitches:
        self._dossier(access_token, member_id)
        return self.switches.get(member_id, EmailSwitches())

    async def set_preferences(
        self, access_token: str, member_id: str, switches: EmailSwitches
    ) -> EmailSwitches:
        self._dossier(access_token, member_id)
        self.switches[member_id] = replace(switches)
        return switches

    async def address(self, access_token: str, member_id: str) -> NotificationAddress:
        self._dossier(access_token, member_id)
        if self.address_failure is not None:
            raise self.address_failure
        confirmed = self.addresses.get(member_id)
        waiting = self.pending.get(member_id)
        shown = None
        if waiting is not None and not waiting.expired and waiting.attempts_left > 0:
            shown = PendingAddress(waiting.address, waiting.expires_at)
        return NotificationAddress(
            address=confirmed or self.on_file.get(member_id),
            source="member" if confirmed else "default",
            pending=shown,
        )

    async def request_address(self, access_token: str, member_id: str, address: str) -> CodeSent:
        self._dossier(access_token, member_id)
        local, _, domain = address.partition("@")
        if not local or "." not in domain or " " in address:
            raise AddressRefused(422, "This is not an e-mail address.", "invalid-address")
        if self.send_failure is not None:
            raise self.send_failure
        self.pending[member_id] = Pending(address, CODE)  # a new request ends the earlier one
        self.codes_sent.append((address, CODE))
        return CodeSent(f"{local[:1]}***@{domain}", EXPIRES_AT, 15)

    async def confirm_address(self, access_token: str, member_id: str, code: str) -> str:
        self._dossier(access_token, member_id)
        waiting = self.pending.get(member_id)
        if waiting is None:
            raise AddressRefused(
                409, "No address change is waiting for a code.", "no-pending-change"
            )
        if waiting.expired:
            raise AddressRefused(410, "The code has expired — ask for a new code.", "expired")
        if waiting.attempts_left <= 0:
            raise AddressRefused(
                410, "Too many attempts — ask for a new code.", "attempts-exhausted"
            )
        if code != waiting.code:
            waiting.attempts_left -= 1
            if waiting.attempts_left <= 0:
                raise AddressRefused(
                    410, "Too many attempts — ask for a new code.", "attempts-exhausted"
                )
            left = waiting.attempts_left
            raise AddressRefused(
                422, f"The code is not right; {left} attempts left.", "wrong-code", left
            )
        del self.pending[member_id]
        self.addresses[member_id] = waiting.address
        return waiting.address


__all__ = ["ATTEMPTS", "CODE", "EXPIRES_AT", "ON_FILE", "FakeNotify", "Pending"]
