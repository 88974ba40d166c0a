"""Issue 18 items 5 and 6 (EI-6, EI-7): terms changes, maintenance windows and their
announcement to every e-invoicing member, on fakes of billing's ports; the maintenance
gate of member routes on a small app with the real problem table."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import ClassVar

import httpx
import pytest
from billing.domain.einvoicing import Actor
from billing.domain.maintenance import InvalidWindow, Reason
from billing.domain.terms import InvalidTerms, Summary, TermsTooSoon
from billing.entrypoints.maintenance_gate import gated
from billing.entrypoints.problems import PROBLEMS
from billing.service.use_cases import BillingUseCases
from fastapi import APIRouter, FastAPI
from mylm_shared.auth import Principal
from mylm_shared.events import MAINTENANCE_ANNOUNCED, TERMS_CHANGED
from mylm_shared.problems import install_problem_handlers

from testkit.fakes.billing import BillingFakes

SUMMARY = Summary("De e-factuur vermeldt voortaan de zorgcode.", "La facture indique le code.")
REASON = Reason("Nieuwe versie van de facturatie.", "Nouvelle version de la facturation.")
# Friday 27 March 2026, 10:00 in Brussels (09:00 UTC): Easter Monday is 6 April 2026.
BEFORE_EASTER = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)


def fakes_at(now: datetime, *members: str) -> BillingFakes:
    fakes = BillingFakes(*members)
    fakes.now = now
    return fakes


async def test_a_terms_change_across_easter_monday_is_refused_with_the_earliest_date() -> None:
    """rule EI-6 (issue 18 item 5): 15 Belgian working days of notice; published on Friday
    27 March 2026, Easter Monday (6 April) does not count: the earliest effective date is
    Tuesday 21 April, and 20 April is refused naming it."""
    use_cases = fakes_at(BEFORE_EASTER).use_cases()
    with pytest.raises(TermsTooSoon) as refused:
        await use_cases.terms.publish("2026.2", date(2026, 4, 20), SUMMARY)
    assert refused.value.earliest_effective_on == date(2026, 4, 21)
    assert refused.value.rule == "EI-6"
    published = await use_cases.terms.publish("2026.2", date(2026, 4, 21), SUMMARY)
    assert (published.version, published.published_on) == ("2026.2", date(2026, 3, 27))


async def test_a_retried_publication_answers_the_same_and_another_body_is_refused() -> None:
    """rule EI-6: a version names one text (``_id`` insert): the same body again is the
    stored version, even a day later; another text under that version is refused."""
    fakes = fakes_at(BEFORE_EASTER)
    use_cases = fakes.use_cases()
    first = await use_cases.terms.publish("2026.2", date(2026, 5, 4), SUMMARY)
    fakes.now += timedelta(days=1)
    again = await use_cases.terms.publish("2026.2", date(2026, 5, 4), SUMMARY)
    assert again == first
    with pytest.raises(InvalidTerms):
        await use_cases.terms.publish("2026.2", date(2026, 5, 5), SUMMARY)
    assert [v.version for v in await use_cases.terms.listed()] == ["2026.2"]


async def test_terms_changed_reaches_every_einvoicing_member_once_in_paced_batches() -> None:
    """rule EI-6 (issue 18 item 5): one ``terms.changed`` per e-invoicing member, none for
    a member on paper (switched off, EI-3) or without an account (EI-2); batches of the
    configured size with a pause between them; a second run adds nothing."""
    members = [f"m{i:02d}" for i in range(7)]
    fakes = fakes_at(BEFORE_EASTER, *members)
    fakes.settings = fakes.settings.model_copy(update={"notice_batch_size": 2})
    use_cases = fakes.use_cases()
    await use_cases.einvoicing.switch("m03", False, Actor("member", "m03"))  # paper (EI-3)
    await use_cases.terms.publish("2026.2", date(2026, 5, 4), SUMMARY)

    assert await use_cases.notices.run() == 6
    events = fakes.notices.published("terms:")
    assert [m.subject for m in events] == [m for m in members if m != "m03"]
    assert {m.spec for m in events} == {TERMS_CHANGED}
    assert len(fakes.notices.batches) == 4  # 7 members, 2 a batch
    assert fakes.paused == [fakes.settings.notice_batch_pause_seconds] * 3
    assert await use_cases.notices.run() == 0
    assert len(fakes.notices.published("terms:")) == 6


@dataclass
class CrashAfter:
    """A billing that dies after writing ``batches`` batches (the process is gone)."""

    batches: int

    async def __call__(self, seconds: float) -> None:
        self.batches -= 1
        if self.batches == 0:
            raise RuntimeError("billing crashed")


async def test_a_fanout_interrupted_by_a_crash_resumes_without_losing_a_member() -> None:
    """rule EI-6 (issue 18 item 5): billing dies after two batches; the next run resumes
    after the last batch written and every e-invoicing member gets exactly one event."""
    members = [f"m{i:02d}" for i in range(9)]
    fakes = fakes_at(BEFORE_EASTER, *members)
    fakes.settings = fakes.settings.model_copy(update={"notice_batch_size": 2})
    crashed = fakes.use_cases()
    crashed.notices.sleep = CrashAfter(2)
    await crashed.terms.publish("2026.2", date(2026, 5, 4), SUMMARY)
    with pytest.raises(RuntimeError):
        await crashed.notices.run()
    assert len(fakes.notices.published()) == 4
    assert await fakes.terms.unannounced()  # not marked: the next run picks it up

    restarted = fakes.use_cases()  # a fresh process over the same stores
    assert await restarted.notices.run() == 5
    assert [m.subject for m in fakes.notices.published()] == members
    assert not await fakes.terms.unannounced()


async def test_a_window_is_announced_three_days_ahead_not_earlier() -> None:
    """rule EI-7 (issue 18 item 6): a window planned a week ahead is announced to the
    e-invoicing members from three days before it starts; a short-notice one at once."""
    fakes = fakes_at(BEFORE_EASTER, "m01", "m02")
    use_cases = fakes.use_cases()
    starts = BEFORE_EASTER + timedelta(days=7)
    window = await use_cases.maintenance.plan(starts, starts + timedelta(hours=2), REASON)
    assert not window.short_notice
    assert await use_cases.notices.run() == 0
    fakes.now = starts - timedelta(days=3)
    assert await use_cases.notices.run() == 2
    events = fakes.notices.published("maintenance:")
    assert [(m.spec, m.subject) for m in events] == [
        (MAINTENANCE_ANNOUNCED, "m01"),
        (MAINTENANCE_ANNOUNCED, "m02"),
    ]
    soon = fakes.now + timedelta(hours=1)
    urgent = await use_cases.maintenance.plan(soon, soon + timedelta(hours=1), REASON)
    assert urgent.short_notice
    assert await use_cases.notices.run() == 2


async def test_a_window_over_before_any_run_is_not_announced_afterwards() -> None:
    """rule EI-7: a window that ended while no fan-out ran (billing down) is not announced
    after the fact: the notice would tell of a suspension that is over."""
    fakes = fakes_at(BEFORE_EASTER, "m01")
    use_cases = fakes.use_cases()
    starts = BEFORE_EASTER + timedelta(hours=1)
    await use_cases.maintenance.plan(starts, starts + timedelta(hours=1), REASON)
    fakes.now = starts + timedelta(hours=2)
    assert await use_cases.notices.run() == 0
    assert fakes.notices.published() == [] and not await fakes.windows.unannounced()


async def test_a_window_longer_than_four_hours_is_refused() -> None:
    """rule EI-7: "de strikt noodzakelijke duur": at most 4 hours."""
    use_cases = fakes_at(BEFORE_EASTER).use_cases()
    starts = BEFORE_EASTER + timedelta(days=5)
    with pytest.raises(InvalidWindow):
        await use_cases.maintenance.plan(starts, starts + timedelta(hours=5), REASON)


async def test_the_active_window_is_read_through_a_short_cache() -> None:
    """rule EI-7 (issue 18 item 6): member requests ask whether a window is active; the
    windows are read once per cache period, not per request, and a plan invalidates."""
    fakes = fakes_at(BEFORE_EASTER)
    use_cases = fakes.use_cases()
    for _ in range(5):
        assert await use_cases.maintenance.active() is None
    assert fakes.windows.reads == 1
    starts = BEFORE_EASTER + timedelta(minutes=10)
    await use_cases.maintenance.plan(starts, starts + timedelta(hours=1), REASON)
    fakes.now = starts + timedelta(minutes=30)
    active = await use_cases.maintenance.active()
    assert active is not None and active[1] == 30 * 60


class Verifier:
    """Tokens named after their principal (the gate verifies only during a window)."""

    PRINCIPALS: ClassVar[dict[str, Principal]] = {
        "member": Principal("acc-m01", "m01", frozenset({"member"})),
        "staff": Principal("staff-1", None, frozenset({"staff"})),
    }

    async def verify(self, token: str) -> Principal:
        return self.PRINCIPALS[token]


def gated_app(use_cases: BillingUseCases) -> FastAPI:
    inner = APIRouter()

    @inner.get("/v1/member-thing")
    async def member_thing() -> dict[str, bool]:
        return {"ok": True}

    app = FastAPI()
    install_problem_handlers(app, PROBLEMS)
    app.include_router(gated(inner))
    app.state.use_cases = use_cases
    app.state.runtime = SimpleNamespace(token_verifier=Verifier())
    return app


async def test_during_a_window_members_get_503_with_retry_after_and_staff_get_through() -> None:
    """rule EI-7 (issue 18 item 6): during a window a member route answers 503
    problem+json with ``Retry-After`` (seconds to the end) and the reason in the member's
    language (nl+fr when unknown); staff pass; before the window everyone passes."""
    fakes = fakes_at(BEFORE_EASTER)
    fakes.members.members["m01"] = {"language": "fr", "mutuality": "LM Plus"}
    use_cases = fakes.use_cases()
    starts = BEFORE_EASTER + timedelta(hours=1)
    await use_cases.maintenance.plan(starts, starts + timedelta(hours=2), REASON)
    transport = httpx.ASGITransport(app=gated_app(use_cases))
    async with httpx.AsyncClient(transport=transport, base_url="http://billing") as http:
        member = {"Authorization": "Bearer member"}
        assert (await http.get("/v1/member-thing", headers=member)).status_code == 200
        fakes.now = starts + timedelta(minutes=30)
        use_cases.maintenance._cache.invalidate("windows")  # the cache period passed
        refused = await http.get("/v1/member-thing", headers=member)
        assert refused.status_code == 503
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.headers["retry-after"] == str(90 * 60)
        assert refused.json()["rule"] == "EI-7"
        assert refused.json()["notice"] == {"fr": REASON.fr}
        anonymous = await http.get("/v1/member-thing")
        assert anonymous.status_code == 503
        assert anonymous.json()["notice"] == {"nl": REASON.nl, "fr": REASON.fr}
        staff = await http.get("/v1/member-thing", headers={"Authorization": "Bearer staff"})
        assert staff.status_code == 200
