"""The member directory batch (issue 7 item 1) on the in-memory fakes: per-row checks
(RG-1 INSZ, MT-1, language, e-mail, mobile, household), upserts that emit only what
changed, audit entries for each applied change (LF-5)."""

from typing import Any

import pytest
from identity.service.context import Origin
from identity.service.directory import MAX_BATCH_ROWS, BatchOutcome, BatchTooLarge
from mylm_shared.events import MEMBER_REGISTERED, MEMBER_UPDATED, MemberUpdatedV1

from testkit.fakes.identity import IdentityFakes
from testkit.people import national_number


def row(number: str, **fields: Any) -> dict[str, Any]:
    insz = fields.pop("insz", None) or national_number()
    return {
        "member_number": number,
        "national_register_number": insz,
        "first_name": "An",
        "last_name": "Claes",
        "birth_date": f"19{insz[0:2]}-{insz[2:4]}-{insz[4:6]}",
        "email": f"{number.lower()}@example.org",
        "mobile": "+32470123456",
        "language": "nl",
        "mutuality": "LM Plus",
        "titular_member_number": None,
        **fields,
    }


class Fixture:
    def __init__(self) -> None:
        fakes = IdentityFakes()  # issue 17 item 6: wired by bootstrap, like the service
        self.members = fakes.stores.member_store
        self.audit = fakes.audit
        self.directory = fakes.use_cases().directory
        self.origin = Origin("10.0.0.1", None)

    async def push(self, *rows: object) -> BatchOutcome:
        return await self.directory.apply_batch(list(rows), self.origin)

    def topics(self) -> list[str]:
        return [m.spec.topic for m in self.members.published]


@pytest.fixture
def fx() -> Fixture:
    return Fixture()


def fields_of(outcome: BatchOutcome, index: int) -> set[str | None]:
    return {e.field for e in outcome.rejected[index]}


async def test_valid_rows_apply_and_invalid_ones_come_back_with_index_and_reasons(
    fx: Fixture,
) -> None:
    """RG-1 (INSZ check digits), MT-1, language, e-mail, mobile: each row on its own."""
    outcome = await fx.push(
        row("A-1"),
        row("A-2", national_register_number="85073003329", birth_date="1985-07-30"),
        row("A-3", mutuality="Some Fund", language="en"),
        row("A-4", email="not-an-address", mobile="0470"),
        "not a row",
        row("A-6", email=None, mobile=None),
    )
    assert sorted(outcome.applied) == [0, 5]
    assert fields_of(outcome, 1) == {"national_register_number"}
    assert fields_of(outcome, 2) == {"mutuality", "language"}
    assert fields_of(outcome, 3) == {"email", "mobile"}
    assert fields_of(outcome, 4) == {None}
    assert fx.topics() == [MEMBER_REGISTERED.topic] * 2


async def test_the_insz_must_match_the_birth_date_and_the_post_2000_rule_holds(
    fx: Fixture,
) -> None:
    base = "000101001"  # born 2000-01-01: check digits over "2" + the first nine digits
    born_2000 = f"{base}{97 - int('2' + base) % 97:02d}"
    outcome = await fx.push(
        row("B-1", insz=born_2000, birth_date="2000-01-01"),
        row("B-2", insz="85073003328", birth_date="1985-07-31"),
    )
    assert list(outcome.applied) == [0]
    assert fields_of(outcome, 1) == {"birth_date"}


async def test_resending_the_same_batch_changes_and_emits_nothing(fx: Fixture) -> None:
    rows = [row("C-1"), row("C-2", titular_member_number="C-1")]
    first = await fx.push(*rows)
    versions, published = len(fx.members.documents), len(fx.members.published)
    again = await fx.push(*rows)
    assert again.applied == first.applied and not again.rejected
    assert (len(fx.members.documents), len(fx.members.published)) == (versions, published)


async def test_a_change_emits_one_member_updated_with_what_changed_and_is_audited(
    fx: Fixture,
) -> None:
    """LF-5: registration and update each leave one entry in the member's trail."""
    titular, member = row("D-1"), row("D-2")
    first = await fx.push(titular, member)
    member_id = first.applied[1]
    changed = {**member, "email": "new@example.org", "language": "fr"}
    changed["titular_member_number"] = "D-1"
    outcome = await fx.push(changed)
    assert outcome.applied == {0: member_id}
    updates = [m for m in fx.members.published if m.spec is MEMBER_UPDATED]
    assert len(updates) == 1
    payload = updates[0].payload
    assert isinstance(payload, MemberUpdatedV1)
    assert set(payload.changed) == {"email", "language", "titular_member_id"}
    assert (payload.email, payload.language) == ("new@example.org", "fr")
    assert payload.titular_member_id == first.applied[0]
    trail = [entry.operation for entry in await fx.audit.entries(member_id)]
    assert [op.action for op in trail] == ["member.registered", "member.updated"]
    assert trail[1].source == "10.0.0.1"
    assert set(trail[1].details["changed"]) == {"email", "language", "titular_member_id"}


async def test_a_known_member_number_keeps_its_insz(fx: Fixture) -> None:
    await fx.push(row("E-1"))
    outcome = await fx.push(row("E-1"))  # another (valid) INSZ for the same member number
    assert fields_of(outcome, 0) == {"national_register_number"}


async def test_an_insz_of_another_member_number_is_refused(fx: Fixture) -> None:
    first = row("F-1")
    await fx.push(first)
    outcome = await fx.push(row("F-2", insz=first["national_register_number"]))
    assert fields_of(outcome, 0) == {"national_register_number"}


async def test_duplicates_within_a_batch_are_all_refused(fx: Fixture) -> None:
    outcome = await fx.push(row("G-1"), row("G-1"), row("G-3"))
    assert sorted(outcome.rejected) == [0, 1]
    assert list(outcome.applied) == [2]


async def test_household_a_dependant_points_to_a_titular_of_the_same_batch_or_known(
    fx: Fixture,
) -> None:
    known = await fx.push(row("H-0"))
    outcome = await fx.push(
        row("H-2", titular_member_number="H-1"),  # the titular comes later in the batch
        row("H-1"),
        row("H-3", titular_member_number="H-0"),  # known before
        row("H-4", titular_member_number="H-404"),  # nobody
        row("H-5", titular_member_number="H-5"),  # itself
        row("H-6", titular_member_number="H-2"),  # a dependant
    )
    assert sorted(outcome.applied) == [0, 1, 2]
    dependant = await fx.directory.member(outcome.applied[0])
    assert dependant is not None and dependant.titular_member_id == outcome.applied[1]
    known_dependant = await fx.directory.member(outcome.applied[2])
    assert known_dependant is not None and known_dependant.titular_member_id == known.applied[0]
    assert (
        fields_of(outcome, 3)
        == fields_of(outcome, 4)
        == fields_of(outcome, 5)
        == {"titular_member_number"}
    )


async def test_a_titular_with_dependants_cannot_become_a_dependant(fx: Fixture) -> None:
    titular, dependant, other = row("I-1"), row("I-2", titular_member_number="I-1"), row("I-3")
    await fx.push(titular, dependant, other)
    outcome = await fx.push({**titular, "titular_member_number": "I-3"})
    assert fields_of(outcome, 0) == {"titular_member_number"}
    # … unless its dependants move in the same batch
    moved = await fx.push(
        {**titular, "titular_member_number": "I-3"}, {**dependant, "titular_member_number": "I-3"}
    )
    assert sorted(moved.applied) == [0, 1] and not moved.rejected


async def test_a_dependant_of_a_rejected_titular_row_says_so(fx: Fixture) -> None:
    outcome = await fx.push(
        row("J-1", language="en"), row("J-1"), row("J-2", titular_member_number="J-1")
    )
    assert not outcome.applied
    assert "rejected" in outcome.rejected[2][0].message


async def test_more_than_1000_rows_apply_nothing(fx: Fixture) -> None:
    with pytest.raises(BatchTooLarge):
        await fx.push(*(row(f"K-{i}") for i in range(MAX_BATCH_ROWS + 1)))
    assert not fx.members.documents


async def test_an_interrupted_registration_is_finished_by_the_next_batch(fx: Fixture) -> None:
    """A crash between claiming the keys and saving left keys whose owner is not stored."""
    member = row("L-1")
    first = await fx.push(member)
    member_id = first.applied[0]
    fx.members.documents.clear()
    fx.members.published.clear()
    again = await fx.push(member)
    assert again.applied == {0: member_id}
    assert fx.topics() == [MEMBER_REGISTERED.topic]
