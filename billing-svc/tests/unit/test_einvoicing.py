"""The member's e-invoicing state and its switches (issue 18 item 3; EI-2, EI-3, EI-4)."""

from datetime import UTC, datetime, timedelta

import pytest
from billing.domain.einvoicing import (
    SYSTEM,
    Actor,
    EInvoicing,
    EInvoicingChanged,
    InvalidSwitch,
    channel_at,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MEMBER = Actor("member", "m-1")
TITULAR = Actor("titular", "t-1")
STAFF = Actor("staff", "s-1")


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def created(minutes: int = 0) -> EInvoicing:
    state = EInvoicing("m-1")
    state.on_account_created("evt-created", at(minutes))
    return state


def test_ei2_without_an_account_the_member_gets_paper() -> None:
    """EI-2, issue 18 item 3: e-invoicing is for "leden met een My LM account"."""
    assert not EInvoicing("m-1").enabled
    assert EInvoicing("m-1").channel_at(T0) == "paper"
    assert channel_at(None, T0) == "paper"


def test_ei2_activated_automatically_when_the_account_is_created() -> None:
    """EI-2, issue 18 item 3: "automatisch geactiveerd bij het aanmaken van een My LM
    account"; recorded with time and the system as actor, and an event raised."""
    state = created()
    assert state.enabled
    assert state.history[-1].actor == SYSTEM
    assert state.history[-1].at == T0
    assert state.history[-1].cause == "evt-created"
    assert state.events == [EInvoicingChanged("m-1", state.history[-1])]


def test_ei2_a_redelivered_account_created_changes_nothing() -> None:
    """EI-2, issue 18 item 3: the same event twice (at-least-once delivery) is one switch,
    even after the member switched off in between."""
    state = created()
    state.switch(False, MEMBER, at(5))
    assert state.on_account_created("evt-created", at(10)) is None
    assert not state.enabled
    assert len(state.history) == 2


@pytest.mark.parametrize(("minutes", "applies"), [(-1, False), (0, False), (1, True)])
def test_ei2_an_account_created_older_than_the_last_switch_is_stale(
    minutes: int, applies: bool
) -> None:
    """EI-2, issue 18 item 3: an account.created delivered after the member switched off
    (dated at or before that switch) does not switch it back on; a later one (a new
    account) does."""
    state = created(-10)
    state.switch(False, MEMBER, T0)
    result = state.on_account_created("evt-new", at(minutes))
    assert (result is not None) is applies
    assert state.enabled is applies


@pytest.mark.parametrize("actor", [MEMBER, TITULAR, STAFF])
def test_ei3_the_member_or_for_them_deactivates_and_paper_resumes(actor: Actor) -> None:
    """EI-3, issue 18 item 3: "Het lid kan deze optie op elk ogenblik deactiveren"; a
    titular acting for them or staff may too; every switch has its time and actor."""
    state = created()
    record = state.switch(False, actor, at(30))
    assert record is not None
    assert (record.enabled, record.at, record.actor) == (False, at(30), actor)
    assert not state.enabled
    assert state.channel_at(at(30)) == "paper"


@pytest.mark.parametrize(
    ("actor", "changed_by"),
    [
        (MEMBER, "member"),
        (TITULAR, "titular:t-1"),
        (STAFF, "staff:s-1"),
        (SYSTEM, "system"),
    ],
)
def test_ei3_changed_by_names_the_actor(actor: Actor, changed_by: str) -> None:
    """EI-3, issue 18 item 3: the contract's ``changed_by``."""
    assert actor.changed_by == changed_by


@pytest.mark.parametrize(
    ("kind", "actor_id"),
    [("member", ""), ("titular", " "), ("staff", ""), ("system", "x"), ("robot", "r")],
)
def test_ei3_an_actor_is_named(kind: str, actor_id: str) -> None:
    """EI-3, issue 18 item 3: a person is named by id; the system has none."""
    with pytest.raises(InvalidSwitch):
        Actor(kind, actor_id)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("issued", "channel"),
    [
        (-1, "paper"),  # before the account: paper
        (0, "electronic"),  # at activation
        (29, "electronic"),  # just before the switch off
        (30, "paper"),  # at the switch off
        (59, "paper"),
        (60, "electronic"),  # switched back on
    ],
)
def test_ei3_the_channel_is_the_state_in_force_at_issue(issued: int, channel: str) -> None:
    """EI-2, EI-3, issue 18 item 3: switching never touches invoices already issued — the
    channel is read at the issue time, from the switch in force then."""
    state = created()
    state.switch(False, MEMBER, at(30))
    state.switch(True, MEMBER, at(60))
    assert state.channel_at(at(issued)) == channel
    assert channel_at(state, at(issued)) == channel


@pytest.mark.parametrize("enabled", [True, False])
def test_ei3_switching_to_the_current_state_records_nothing(enabled: bool) -> None:
    """EI-3, issue 18 item 3: idempotent: ``since`` keeps its day, no event, no record."""
    state = created()
    if not enabled:
        state.switch(False, MEMBER, at(1))
    before = (state.history, list(state.events))
    assert state.switch(enabled, MEMBER, at(2)) is None
    assert (state.history, state.events) == before
    assert state.last is not None and state.last.at == (T0 if enabled else at(1))


def test_ei3_a_switch_dated_before_the_last_one_is_refused() -> None:
    """EI-3, issue 18 item 3: the history is in time order (equal times are allowed)."""
    state = created()
    with pytest.raises(InvalidSwitch, match="before the last"):
        state.switch(False, MEMBER, at(-1))
    assert state.switch(False, MEMBER, T0) is not None


def test_ei3_closing_the_account_switches_to_paper_once() -> None:
    """EI-3, issue 18 item 3: no account, no inbox: paper resumes; a redelivery is nothing."""
    state = created()
    assert state.on_account_closed("evt-closed", at(10)) is not None
    assert not state.enabled
    assert state.history[-1].actor == SYSTEM
    assert state.on_account_closed("evt-closed", at(11)) is None
    assert len(state.history) == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.switch(True, SYSTEM, T0),  # the system names its cause
        lambda s: s.switch(True, MEMBER, datetime(2026, 12, 1, 9)),  # naive time
        lambda s: s.channel_at(datetime(2026, 12, 1, 9)),
    ],
)
def test_ei2_switch_inputs_are_checked(call: object) -> None:
    """EI-2, issue 18 item 3: a system switch has its cause; times carry their zone."""
    with pytest.raises(InvalidSwitch):
        call(EInvoicing("m-1"))  # type: ignore[operator]


def test_ei4_the_state_holds_no_notification_setting() -> None:
    """EI-4, issue 18 item 3: the e-mail can be switched off on its own ("De melding kan
    ook uitgeschakeld worden"): that is notify-svc's setting, not the channel. Switching the
    channel off is the only way to paper; the state has no e-mail field to confuse them."""
    fields = set(EInvoicing.__dataclass_fields__)
    assert fields == {"member_id", "history", "version", "events"}


def test_ei3_closing_an_account_without_e_invoicing_records_nothing() -> None:
    """EI-3, issue 18 item 3: already paper: no switch, no event."""
    state = EInvoicing("m-1")
    assert state.on_account_closed("evt-closed", T0) is None
    assert (state.history, state.events) == ((), [])


def test_ei3_a_first_switch_to_paper_without_any_record_is_recorded() -> None:
    """EI-3, issue 18 item 3 (EI-2 backfill): a member billing has no record of (their
    account is older than billing's e-invoicing) who switches it off has made a choice:
    it is recorded with time and actor, so identity's replayed ``account.created``,
    dated at the account's original creation, does not switch it back on."""
    state = EInvoicing("m-1")
    record = state.switch(False, MEMBER, at(60))
    assert record is not None and state.last == record and not state.enabled
    assert state.on_account_created("evt-replayed", at(-365 * 24 * 60)) is None
    assert not state.enabled and state.channel_at(at(61)) == "paper"
    # the system never records "off" over nothing: no account, paper already
    assert EInvoicing("m-2").switch(False, SYSTEM, at(1), cause="evt") is None
