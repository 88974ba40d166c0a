"""Issue 18 item 3 (EI-2, EI-3): the member's postal address in the directory, for paper
invoices: validated per row (a Belgian postal code is 4 digits, 1000–9999), stored,
and carried (optionally) on ``member.registered`` / ``member.updated``."""

from typing import Any

import pytest
from identity.domain.members import InvalidMember, PostalAddress
from identity.service.context import Origin
from identity.service.directory import BatchOutcome
from mylm_shared.events import (
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    MemberRegisteredV1,
    MemberUpdatedV1,
    PostalAddressV1,
)

from testkit.fakes.identity import IdentityFakes
from testkit.people import national_number

ASSE = {"street": "Kerkstraat", "number": "12", "postal_code": "1730", "municipality": "Asse"}


def row(number: str, **fields: Any) -> dict[str, Any]:
    insz = national_number()
    return {
        "member_number": number,
        "national_register_number": insz,
        "first_name": "Jan",
        "last_name": "Peeters",
        "birth_date": f"19{insz[0:2]}-{insz[2:4]}-{insz[4:6]}",
        "email": None,
        "mobile": None,
        "language": "nl",
        "mutuality": "LM Plus",
        "titular_member_number": None,
        **fields,
    }


class Fixture:
    def __init__(self) -> None:
        fakes = IdentityFakes()
        self.members = fakes.stores.member_store
        self.directory = fakes.use_cases().directory

    async def push(self, *rows: object) -> BatchOutcome:
        return await self.directory.apply_batch(list(rows), Origin("10.0.0.1", None))


@pytest.fixture
def fx() -> Fixture:
    return Fixture()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ({**ASSE, "postal_code": "0999"}, "1000–9999"),
        ({**ASSE, "postal_code": "173"}, "1000–9999"),
        ({**ASSE, "postal_code": "17300"}, "1000–9999"),
        ({**ASSE, "postal_code": "B-1730"}, "1000–9999"),
        ({**ASSE, "country": "be"}, "pattern"),
        ({**ASSE, "street": ""}, "at least 1"),
        ({**ASSE, "floor": "2"}, "Extra inputs"),
    ],
)
async def test_an_invalid_address_refuses_the_row_naming_the_address(
    fx: Fixture, address: dict[str, str], message: str
) -> None:
    """Issue 18 item 3: Belgian postal codes are 4 digits 1000–9999; the row comes back
    with its index and an ``address…`` field, the other rows apply."""
    outcome = await fx.push(row("P-1"), row("P-2", address=address))
    assert list(outcome.applied) == [0]
    [error] = outcome.rejected[1]
    assert error.field is not None and error.field.startswith("address"), error
    assert message in error.message


async def test_a_foreign_address_keeps_its_own_postal_code(fx: Fixture) -> None:
    """Issue 18 item 3: the 4-digit rule is Belgium's; a Dutch postcode is accepted."""
    maastricht = {
        "street": "Markt",
        "number": "78",
        "postal_code": "6211 CL",
        "municipality": "Maastricht",
        "country": "NL",
    }
    outcome = await fx.push(row("P-3", address=maastricht))
    assert list(outcome.applied) == [0] and not outcome.rejected


async def test_the_address_is_stored_and_carried_on_registered_and_updated(
    fx: Fixture,
) -> None:
    """Issue 18 item 3: ``member.registered`` carries the address (country BE by
    default); a move emits ``member.updated`` with ``address`` in ``changed``; a row
    without an address clears it (the row is the whole entry)."""
    base = row("P-4", address=ASSE)
    first = await fx.push(base)
    member_id = first.applied[0]
    [registered] = [m.payload for m in fx.members.published if m.spec is MEMBER_REGISTERED]
    assert isinstance(registered, MemberRegisteredV1)
    assert registered.address == PostalAddressV1(**ASSE, country="BE")

    moved = {**ASSE, "street": "Stationsstraat", "number": "8", "box": "2"}
    pushed = {**base, "address": moved}
    await fx.push(pushed)
    member = await fx.directory.member(member_id)
    assert member is not None and member.address == PostalAddress(
        street="Stationsstraat", number="8", box="2", postal_code="1730", municipality="Asse"
    )
    updates = [m.payload for m in fx.members.published if m.spec is MEMBER_UPDATED]
    assert isinstance(updates[-1], MemberUpdatedV1)
    assert updates[-1].changed == ["address"]
    assert updates[-1].address is not None and updates[-1].address.box == "2"

    await fx.push({k: v for k, v in pushed.items() if k != "address"})
    member = await fx.directory.member(member_id)
    assert member is not None and member.address is None
    cleared = [m.payload for m in fx.members.published if m.spec is MEMBER_UPDATED][-1]
    assert isinstance(cleared, MemberUpdatedV1) and cleared.address is None


def test_old_directory_events_without_an_address_stay_valid() -> None:
    """Issue 18 item 3: ``address`` is optional on the v1 payloads (events of before)."""
    old = MemberRegisteredV1.model_validate(
        {
            "member_id": "m-1",
            "email": None,
            "language": "nl",
            "mutuality": "LM Plus",
            "first_name": "Jan",
            "last_name": "Peeters",
        }
    )
    assert old.address is None


def test_the_domain_refuses_a_belgian_postal_code_out_of_range() -> None:
    """Issue 18 item 3: the value object itself holds the rule (seeds, demo data)."""
    with pytest.raises(InvalidMember, match="1000–9999"):
        PostalAddress(street="Kerkstraat", number="12", postal_code="0999", municipality="X")
    with pytest.raises(InvalidMember, match="alpha-2"):
        PostalAddress(
            street="Kerkstraat", number="12", postal_code="1730", municipality="X", country="BEL"
        )
