"""Members of the LLM mutualities as the mutuality's core system knows them (the directory).

A member is an aggregate (``mylm_shared.kernel.domain``): each change inserts a new version and
raises ``MemberRegistered`` / ``MemberUpdated``, which go on the bus with the same write.
"""

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

from mylm_shared.kernel.domain import Aggregate
from mylm_shared.kernel.periods import birthday
from stdnum.be import nn

Language = Literal["nl", "fr", "de"]
LANGUAGES: tuple[Language, ...] = ("nl", "fr", "de")

# MT-1: the mutualities of the LLM.
MUTUALITIES = (
    "LM Plus",
    "LM Oost-Vlaanderen",
    "LM MUTPLUS.be",
    "ML Hainaut-Namur",
    "ML Liège-Luxembourg",
)

MAJORITY_AGE = 18  # AC-2, AC-4


class InvalidMember(ValueError):
    pass


def valid_national_number(number: str) -> bool:
    """RG-1: 11 digits with the mod-97 check, including the post-2000 rule (python-stdnum)."""
    return len(number) == 11 and number.isdigit() and nn.is_valid(number)


def eighteenth_birthday(birth_date: date) -> date:
    """The day AC-2 access ends (AC-6); a 29 February birthday counts on 1 March in a
    common year (``mylm_shared.kernel.periods.birthday``, the same day policy-svc uses)."""
    return birthday(birth_date, MAJORITY_AGE)


def is_minor_on(birth_date: date, day: date) -> bool:
    return day < eighteenth_birthday(birth_date)


COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
FOREIGN_POSTAL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")


@dataclass(frozen=True)
class PostalAddress:
    """Issue 18 item 3 (EI-2, EI-3): where a paper invoice is sent. A Belgian postal
    code is 4 digits, 1000–9999; other countries: 2–10 letters, digits, spaces, dashes."""

    street: str
    number: str
    postal_code: str
    municipality: str
    box: str | None = None
    country: str = "BE"

    def __post_init__(self) -> None:
        for name in ("street", "number", "municipality"):
            if not getattr(self, name).strip():
                raise InvalidMember(f"address.{name} is empty")
        if not COUNTRY_CODE.match(self.country):
            raise InvalidMember("address.country is not an ISO 3166-1 alpha-2 code (e.g. BE)")
        if self.country == "BE":
            code = self.postal_code
            if not (len(code) == 4 and code.isdigit() and 1000 <= int(code) <= 9999):
                raise InvalidMember("address.postal_code: a Belgian postal code is 1000–9999")
        elif not FOREIGN_POSTAL_CODE.match(self.postal_code):
            raise InvalidMember("address.postal_code is not a postal code")


@dataclass(frozen=True)
class MemberRegistered:
    member_id: str
    entry: "MemberEntry"


@dataclass(frozen=True)
class MemberUpdated:
    member_id: str
    entry: "MemberEntry"
    changed: tuple[str, ...]


@dataclass(frozen=True)
class MemberEntry:
    """The directory fields of a member (what events carry and what a batch row sets)."""

    member_number: str
    national_number: str  # INSZ/NISS (RG-1)
    first_name: str
    last_name: str
    birth_date: date
    language: Language
    mutuality: str
    email: str | None = None
    mobile: str | None = None
    titular_member_id: str | None = None  # a dependant's titular (household)
    address: PostalAddress | None = None  # issue 18 item 3: paper invoices

    def __post_init__(self) -> None:
        if not valid_national_number(self.national_number):
            raise InvalidMember("national_number is not a valid INSZ/NISS (RG-1)")
        if self.mutuality not in MUTUALITIES:
            raise InvalidMember(f"unknown mutuality {self.mutuality!r} (MT-1)")
        if self.language not in LANGUAGES:
            raise InvalidMember(f"unknown language {self.language!r}")


# Fields a later push may change; member number and national number identify the member.
UPDATABLE = (
    "first_name",
    "last_name",
    "birth_date",
    "language",
    "mutuality",
    "email",
    "mobile",
    "titular_member_id",
    "address",
)


@dataclass(kw_only=True)
class Member(Aggregate):
    member_id: str
    entry: MemberEntry

    @property
    def aggregate_id(self) -> str:
        return self.member_id

    @classmethod
    def register(cls, member_id: str, entry: MemberEntry) -> "Member":
        member = cls(member_id=member_id, entry=entry)
        member.raise_event(MemberRegistered(member_id, entry))
        return member

    def update(self, entry: MemberEntry) -> tuple[str, ...]:
        """Apply the directory's current entry; raises ``MemberUpdated`` only if a field
        changed (re-sending the same entry changes and emits nothing)."""
        if entry.national_number != self.entry.national_number:
            raise InvalidMember("the national number of a member cannot change")
        changed = tuple(f for f in UPDATABLE if getattr(entry, f) != getattr(self.entry, f))
        if changed:
            self.entry = entry
            self.raise_event(MemberUpdated(self.member_id, entry, changed))
        return changed

    # Convenience accessors: the directory entry's fields read as the member's.
    @property
    def member_number(self) -> str:
        return self.entry.member_number

    @property
    def national_number(self) -> str:
        return self.entry.national_number

    @property
    def first_name(self) -> str:
        return self.entry.first_name

    @property
    def last_name(self) -> str:
        return self.entry.last_name

    @property
    def birth_date(self) -> date:
        return self.entry.birth_date

    @property
    def language(self) -> Language:
        return self.entry.language

    @property
    def mutuality(self) -> str:
        return self.entry.mutuality

    @property
    def email(self) -> str | None:
        return self.entry.email

    @property
    def mobile(self) -> str | None:
        return self.entry.mobile

    @property
    def titular_member_id(self) -> str | None:
        return self.entry.titular_member_id

    @property
    def address(self) -> PostalAddress | None:
        return self.entry.address

    @property
    def name(self) -> str:
        return f"{self.entry.first_name} {self.entry.last_name}"


ENTRY_FIELDS = tuple(f.name for f in fields(MemberEntry))
