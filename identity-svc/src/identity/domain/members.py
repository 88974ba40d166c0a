"""Members of the LLM mutualities and the accounts that log in to My LM."""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from stdnum.be import nn

Language = Literal["nl", "fr", "de"]

# MT-1: the mutualities of the LLM.
MUTUALITIES = (
    "LM Plus",
    "LM Oost-Vlaanderen",
    "LM MUTPLUS.be",
    "ML Hainaut-Namur",
    "ML Liège-Luxembourg",
)

MEMBER = "member"
STAFF = "staff"


class InvalidMember(ValueError):
    pass


@dataclass(frozen=True)
class Member:
    member_id: str
    member_number: str
    national_number: str  # INSZ/NISS, 11 digits, validated (RG-1)
    first_name: str
    last_name: str
    birth_date: date
    language: Language
    mutuality: str
    email: str | None = None
    mobile: str | None = None

    def __post_init__(self) -> None:
        if not nn.is_valid(self.national_number):
            raise InvalidMember("national_number is not a valid INSZ/NISS (RG-1)")
        if self.mutuality not in MUTUALITIES:
            raise InvalidMember(f"unknown mutuality {self.mutuality!r} (MT-1)")


@dataclass(frozen=True)
class Account:
    account_id: str
    username: str
    password_hash: str
    member_id: str | None
    roles: frozenset[str] = field(default_factory=lambda: frozenset({MEMBER}))
    active: bool = True
