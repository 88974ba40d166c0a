"""Issue 15 item 4 (no backdating by members): the dates that start or end rights —
``since`` (PC-3), ``posted_on`` (PC-5), ``notified_on`` (PC-11), ``departure_on`` (PC-6),
``known_on`` (PC-7) — are the server's date for a member; staff may record an earlier
real date only with a reason, kept in the history; nobody gives a notice in the future."""

from datetime import date, timedelta

import pytest
from policy.domain.fact_dates import DateRefused, EarlierDate, Recorder, fact_date

TODAY = date(2027, 3, 15)
DAY = timedelta(days=1)
MEMBER = Recorder("account-of-jan", False, TODAY)
STAFF = Recorder("staff-1", True, TODAY, "registered letter posted 12 March (receipt 1234)")


@pytest.mark.parametrize("field", ["since", "posted_on", "notified_on", "departure_on"])
def test_a_member_gets_today_when_omitted_or_given_today(field: str) -> None:
    assert fact_date(field, None, MEMBER) == (TODAY, None)
    assert fact_date(field, TODAY, MEMBER, ahead=True) == (TODAY, None)


@pytest.mark.parametrize(
    ("field", "rule"),
    [("since", "PC-3"), ("posted_on", "PC-5"), ("notified_on", "PC-11"), ("departure_on", "PC-6")],
)
def test_a_member_may_not_give_yesterday_even_with_a_reason(field: str, rule: str) -> None:
    with_reason = Recorder("account-of-jan", False, TODAY, "I posted it yesterday")
    for member in (MEMBER, with_reason):
        with pytest.raises(DateRefused) as refused:
            fact_date(field, TODAY - DAY, member, ahead=True)
        assert (refused.value.field, refused.value.rule) == (field, rule)


def test_a_coming_day_only_where_the_rules_let_it_be_announced() -> None:
    """PC-3 household facts and a PC-6 departure may be announced ahead; a notice is
    given on the day it is received (not later), for members and staff alike."""
    assert fact_date("since", TODAY + DAY, MEMBER, ahead=True) == (TODAY + DAY, None)
    assert fact_date("departure_on", TODAY + 30 * DAY, MEMBER, ahead=True)[0] == TODAY + 30 * DAY
    for who in (MEMBER, STAFF):
        with pytest.raises(DateRefused):
            fact_date("notified_on", TODAY + DAY, who)


def test_staff_record_an_earlier_real_date_with_the_reason_in_the_history() -> None:
    given, entry = fact_date("posted_on", TODAY - 3 * DAY, STAFF)
    assert given == TODAY - 3 * DAY
    assert entry == EarlierDate(
        "posted_on",
        TODAY - 3 * DAY,
        TODAY,
        "staff-1",
        "registered letter posted 12 March (receipt 1234)",
    )
    # Today needs no reason and leaves no entry.
    assert fact_date("posted_on", TODAY, Recorder("staff-1", True, TODAY)) == (TODAY, None)


@pytest.mark.parametrize("reason", [None, "   "])
def test_staff_without_a_reason_may_not_give_an_earlier_date(reason: str | None) -> None:
    with pytest.raises(DateRefused) as refused:
        fact_date("since", TODAY - DAY, Recorder("staff-1", True, TODAY, reason), ahead=True)
    assert "reason" in refused.value.detail
