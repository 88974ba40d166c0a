"""Who may give the dates that start or end rights (issue 15 item 4: no backdating).

A household's ``since`` (PC-3), an objection's ``posted_on`` (PC-5), a termination's
``notified_on`` (PC-11), an emigration's ``departure_on`` (PC-6) and the day a declared
risk reduction reached the insurer, ``known_on`` (PC-7: the lower premium applies from
it) decide from when a person is insured, until when the contract runs or from when
terms change. A member who could choose them could
insure someone retroactively and then declare a past event.

- **A member**: the date is the server's (Europe/Brussels) date of the request. Omitted:
  today. Earlier: refused (``DateRefused``, 422), never silently replaced, so a client
  sees at once that the date it meant does not count. Later: only where the rules let a
  fact be announced ahead (``ahead``): a household from a coming day (PC-3 facts), a
  departure abroad on a coming day (PC-6). A notice (``posted_on``, ``notified_on``) or
  a declaration (``known_on``) is given on the day it is received: never later.
- **Staff**: may record the earlier real date (a registered letter's posting date, a
  bailiff's service date) only with a ``reason``; the contract's history keeps who, why,
  the date given and the day it was received (``EarlierDate``). Later: as for members.
"""

from dataclasses import dataclass
from datetime import date

FACTS = {
    "since": "PC-3",
    "posted_on": "PC-5",
    "notified_on": "PC-11",
    "departure_on": "PC-6",
    "known_on": "PC-7",
}


class DateRefused(ValueError):
    """A date the caller may not give (422): ``field`` names it, ``rule`` the rule."""

    def __init__(self, field: str, rule: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True)
class Recorder:
    """Who records the fact, and the day the service received it (Europe/Brussels)."""

    actor: str  # the account id (the acting titular's for an exchanged token)
    is_staff: bool
    received_on: date
    reason: str | None = None  # staff: why an earlier date is the real one


@dataclass(frozen=True)
class EarlierDate:
    """An entry of the contract's history: staff recorded ``given`` before the day the
    fact was received (``received_on``), and why."""

    field: str
    given: date
    received_on: date
    actor: str
    reason: str


def fact_date(
    field: str, given: date | None, by: Recorder, *, ahead: bool = False
) -> tuple[date, EarlierDate | None]:
    """The date that counts for ``field`` and, when staff recorded an earlier one, the
    history entry saying so (see the module's docstring)."""
    today = by.received_on
    rule = FACTS.get(field, "PC-11")
    if given is None or given == today:
        return today, None
    if given > today:
        if ahead:
            return given, None
        raise DateRefused(field, rule, f"{field} cannot be later than today ({today})")
    if not by.is_staff:
        raise DateRefused(
            field,
            rule,
            f"{field} is the day of the request ({today}) for a member; an earlier date "
            "is recorded by staff only, with the reason",
        )
    reason = (by.reason or "").strip()
    if not reason:
        raise DateRefused(field, rule, f"an earlier {field} than today ({today}) needs a reason")
    return given, EarlierDate(field, given, today, by.actor, reason)
