"""The one implementation of a member's on/off switch with its recorded history, shared by
billing's e-invoicing (EI-2, EI-3) and inbox's inbox switch (IN-2, IN-3): the pure state
(``mylm_shared.kernel.switches``), its stored documents and bus events
(``mylm_shared.switch_store``), its HTTP answer (``mylm_shared.switch_api``) and who
switched (``mylm_shared.auth.actor_of``)."""

from datetime import UTC, datetime, timedelta

import pytest
from mylm_shared.auth import Actor as Act
from mylm_shared.auth import Principal, actor_of
from mylm_shared.events import EINVOICING_CHANGED, EInvoicingChangedV1
from mylm_shared.kernel import switches
from mylm_shared.kernel.roles import MEMBER, STAFF
from mylm_shared.kernel.switches import SYSTEM, Actor, InvalidSwitch, Switch, SwitchState
from mylm_shared.switch_api import SwitchOut
from mylm_shared.switch_store import SwitchMapper

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
MEMBER_ACTOR = Actor("member", "m-1")


class OnByDefault(SwitchState):
    DEFAULT = True


class OnByDefaultOut(SwitchOut):
    DEFAULT = True


def test_ei3_in3_every_actor_is_named_in_changed_by() -> None:
    """EI-3, IN-3 ("every switch is recorded with time and actor"): ``member``,
    ``titular:<id>``, ``staff:<id>``, ``system``; a person has an id, the system none."""
    assert [a.changed_by for a in (MEMBER_ACTOR, Actor("titular", "t-1"), SYSTEM)] == [
        "member",
        "titular:t-1",
        "system",
    ]
    assert Actor("staff", "s-9").changed_by == "staff:s-9"
    for bad in (("member", " "), ("system", "x"), ("robot", "r")):
        with pytest.raises(InvalidSwitch):
            Actor(bad[0], bad[1])  # type: ignore[arg-type]


def test_ei2_in2_the_default_holds_until_the_first_switch_and_history_decides_after() -> None:
    """EI-2 (no record: off) and IN-2 (no record: on): the state in force at a time is the
    last switch made at or before it; a recorded switch raises its domain event."""
    off, on = SwitchState("m-1"), OnByDefault("m-1")
    assert (off.enabled, on.enabled, off.last, on.enabled_at(T0)) == (False, True, None, True)

    record = on.record(False, MEMBER_ACTOR, T0)
    assert on.last == record == Switch(False, T0, MEMBER_ACTOR)
    assert on.events == [switches.SwitchChanged("m-1", record)]
    assert on.enabled_at(T0 - timedelta(seconds=1)) and not on.enabled_at(T0)
    assert not on.enabled
    with pytest.raises(InvalidSwitch):
        on.enabled_at(datetime(2026, 3, 1, 9, 0))


def test_the_stored_document_keeps_its_format_with_or_without_causes() -> None:
    """EI-3, IN-3: the stores' documents are what billing and inbox wrote before the switch
    was shared (billing with each switch's cause, inbox without), so existing data reads;
    an old entry without ``actor_id`` or ``cause`` reads too."""
    state = SwitchState("m-1")
    state.record(True, SYSTEM, T0, cause="evt-1")
    state.record(False, MEMBER_ACTOR, T0 + timedelta(days=1))
    with_causes = SwitchMapper(SwitchState, EINVOICING_CHANGED).to_document(state)
    assert with_causes == {
        "member_id": "m-1",
        "enabled": False,
        "history": [
            {
                "enabled": True,
                "at": T0.isoformat(),
                "actor": "system",
                "actor_id": "",
                "cause": "evt-1",
            },
            {
                "enabled": False,
                "at": (T0 + timedelta(days=1)).isoformat(),
                "actor": "member",
                "actor_id": "m-1",
                "cause": "",
            },
        ],
    }
    without = SwitchMapper(SwitchState, EINVOICING_CHANGED, causes=False).to_document(state)
    assert all("cause" not in s for s in without["history"])

    mapper = SwitchMapper(SwitchState, EINVOICING_CHANGED)
    assert mapper.from_document(with_causes).history == state.history
    old = {
        "member_id": "m-1",
        "history": [{"enabled": True, "at": T0.isoformat(), "actor": "system"}],
    }
    assert mapper.from_document(old).history == (Switch(True, T0, SYSTEM),)


def test_a_recorded_switch_becomes_its_bus_event() -> None:
    """EI-3: ``einvoicing.changed`` (and inbox's ``inbox.settings_changed``) carry the
    state, since when and who; an event of another type has no bus message."""
    state = SwitchState("m-1")
    record = state.record(True, MEMBER_ACTOR, T0)
    [message] = SwitchMapper(SwitchState, EINVOICING_CHANGED).to_messages(state.events[0])
    assert message.spec == EINVOICING_CHANGED and message.subject == "m-1"
    assert message.payload == EInvoicingChangedV1(
        member_id="m-1", enabled=True, since=record.at, changed_by="member"
    )
    with pytest.raises(TypeError):
        SwitchMapper(SwitchState, EINVOICING_CHANGED).to_messages(object())


def test_the_http_answer_is_the_last_switch_or_the_default() -> None:
    """EI-3, IN-3: ``{"enabled", "since", "changed_by"}``; without any record the
    service's default (EI-2: off, IN-2: on) and no ``since``."""
    assert SwitchOut.of(None).model_dump() == {"enabled": False, "since": None, "changed_by": None}
    assert OnByDefaultOut.of(OnByDefault("m-1")).enabled
    state = OnByDefault("m-1")
    state.record(False, Actor("staff", "s-1"), T0)
    assert OnByDefaultOut.of(state).model_dump() == {
        "enabled": False,
        "since": T0,
        "changed_by": "staff:s-1",
    }


def test_ac2_ac5_actor_of_names_staff_the_titular_acting_or_the_member() -> None:
    """AC-2, AC-5 with EI-3 / IN-3: a titular's exchanged token switches as
    ``titular:<their member id>``; staff as ``staff:<subject>``; else the member."""
    own = Principal("acc-1", "m-1", frozenset({MEMBER}))
    staff = Principal("s-7", None, frozenset({STAFF}))
    titular = Principal("m-2", "m-2", frozenset({MEMBER}), actor=Act("acc-t", "m-t"))
    no_member_id = Principal("m-2", "m-2", frozenset({MEMBER}), actor=Act("acc-t", None))
    assert [actor_of(p, "m-1").changed_by for p in (own, staff)] == ["member", "staff:s-7"]
    assert actor_of(titular, "m-2") == Actor("titular", "m-t")
    assert actor_of(no_member_id, "m-2") == Actor("titular", "acc-t")
