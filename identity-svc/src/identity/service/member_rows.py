"""One row of the member directory batch: its shape and the checks that need no store.

Each row is checked on its own, so one bad row never refuses the others: the shape
(pydantic), the INSZ (RG-1, python-stdnum incl. the post-2000 rule), the birth date the
INSZ encodes, the mutuality (MT-1) and the language (``MemberEntry``).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from mylm_shared.inputs import InputModel
from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.be import nn
from stdnum.exceptions import ValidationError as NumberError

from identity.domain.keys import member_number_key
from identity.domain.members import (
    MUTUALITIES,
    InvalidMember,
    Language,
    MemberEntry,
    PostalAddress,
)

MOBILE_PATTERN = r"^\+?\d{8,15}$"


class AddressRow(InputModel):
    """Issue 18 item 3: the member's postal address (paper invoices). A Belgian postal
    code (country ``BE``, the default) is 4 digits, 1000–9999."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    street: str = Field(min_length=1, max_length=120)
    number: str = Field(min_length=1, max_length=16, description="House number, e.g. 12A.")
    box: str | None = Field(default=None, max_length=16, description="Bus/boîte, if any.")
    postal_code: str = Field(min_length=2, max_length=10)
    municipality: str = Field(min_length=1, max_length=100)
    country: str = Field(default="BE", pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")

    @model_validator(mode="after")
    def _postal_code(self) -> "AddressRow":
        try:
            self.to_address()
        except InvalidMember as error:
            raise PydanticCustomError("address", "{why}", {"why": str(error)}) from None
        return self

    def to_address(self) -> PostalAddress:
        return PostalAddress(**self.model_dump())


class MemberRow(BaseModel):
    """A member as the mutuality's core system pushes it. Every key is required;
    ``email``, ``mobile`` and ``titular_member_number`` may be null (a member without an
    e-mail on file; not a dependant). A row is the member's whole entry: null clears;
    ``address`` may be left out (no address known; it clears one as null does)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    member_number: str = Field(min_length=1, max_length=32)
    national_register_number: str = Field(
        min_length=11,
        max_length=15,
        description="INSZ/NISS: 11 digits, dots, dashes and spaces allowed (RG-1).",
    )
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: date = Field(description="Must match the birth date the INSZ encodes.")
    email: EmailStr | None
    mobile: str | None = Field(pattern=MOBILE_PATTERN, description="E.g. +32470123456.")
    language: Language
    mutuality: str = Field(json_schema_extra={"enum": list(MUTUALITIES)}, description="MT-1")
    titular_member_number: str | None = Field(
        max_length=32, description="A dependant's titular (household); null for a titular."
    )
    address: AddressRow | None = Field(
        default=None, description="Postal address (paper invoices); absent or null: none."
    )

    @field_validator("national_register_number")
    @classmethod
    def _valid_insz(cls, value: str) -> str:
        """RG-1: mod-97 check digits, incl. the post-2000 rule (python-stdnum)."""
        try:
            return str(nn.validate(value))
        except NumberError as error:
            raise PydanticCustomError(
                "insz", "not a valid INSZ/NISS (RG-1): {why}", {"why": str(error)}
            ) from None

    @field_validator("mutuality")
    @classmethod
    def _llm_mutuality(cls, value: str) -> str:
        if value not in MUTUALITIES:
            raise PydanticCustomError("mutuality", "not a mutuality of the LLM (MT-1)")
        return value


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The row's schema with its nested models (the address) written in place: it is
    embedded in the OpenAPI document, where a ``#/$defs/…`` reference resolves nowhere."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


ROW_SCHEMA = _inlined(MemberRow.model_json_schema())


@dataclass(frozen=True)
class RowError:
    field: str | None  # the row's field, None for the row as a whole
    message: str


@dataclass(frozen=True)
class CheckedRow:
    """A row whose own content is valid; the household is checked against the store."""

    index: int
    key: str  # the member number's unique key
    entry: MemberEntry  # without the titular's member id (resolved later)
    titular_key: str | None


def check_row(index: int, raw: Any) -> CheckedRow | list[RowError]:
    try:
        row = MemberRow.model_validate(raw)
    except ValidationError as error:
        return [
            RowError(".".join(str(p) for p in e["loc"]) or None, e["msg"]) for e in error.errors()
        ]
    errors: list[RowError] = []
    national_number = row.national_register_number  # compact: validated above
    born = nn.get_birth_date(national_number)
    if born is not None and born != row.birth_date:
        errors.append(RowError("birth_date", f"the INSZ says {born.isoformat()}"))
    key = member_number_key(row.member_number)
    titular_key = (
        member_number_key(row.titular_member_number) if row.titular_member_number else None
    )
    if titular_key == key:
        errors.append(RowError("titular_member_number", "a member cannot be their own titular"))
    if errors:
        return errors
    try:
        entry = MemberEntry(
            member_number=row.member_number,
            national_number=national_number,
            first_name=row.first_name,
            last_name=row.last_name,
            birth_date=row.birth_date,
            language=row.language,
            mutuality=row.mutuality,
            email=str(row.email) if row.email else None,
            mobile=row.mobile,
            address=row.address.to_address() if row.address else None,
        )
    except InvalidMember as error:  # the domain's own rules, should the above miss one
        return [RowError(None, str(error))]
    return CheckedRow(index, key, entry, titular_key)
