"""Versions of the e-invoicing conditions and their 15 working days' notice (issue 18
item 5; EI-6)."""

from datetime import date

import pytest
from billing.domain.terms import (
    InvalidTerms,
    Summary,
    TermsTooSoon,
    TermsVersion,
    announced,
    in_force,
    ordered,
    publish,
)

SUMMARY = Summary(nl="Nieuwe voorwaarden", fr="Nouvelles conditions")


def version(name: str, effective_on: date, published_on: date) -> TermsVersion:
    return TermsVersion(name, effective_on, SUMMARY, published_on)


@pytest.mark.parametrize(
    ("published_on", "too_soon", "earliest", "why"),
    [
        # Mon 30 Mar 2026: 15 working days are 31 Mar … 21 Apr, Easter Monday 6 Apr skipped.
        (date(2026, 3, 30), date(2026, 4, 21), date(2026, 4, 22), "Easter Monday"),
        # Mon 6 Jul 2026: 7 … 28 Jul, Tuesday 21 July (National Day) skipped.
        (date(2026, 7, 6), date(2026, 7, 28), date(2026, 7, 29), "21 July"),
        # Fri 18 Dec 2026: 21 Dec … 12 Jan, Christmas and New Year (both Fridays) skipped;
        # 26 December is no Belgian public holiday (a Saturday anyway).
        (date(2026, 12, 18), date(2027, 1, 12), date(2027, 1, 13), "Christmas–New Year"),
        # Mon 5 Jan 2026, no holiday: 6 … 26 Jan.
        (date(2026, 1, 5), date(2026, 1, 26), date(2026, 1, 27), "plain weeks"),
        # Sat 10 Jan 2026: the publication day never counts, a weekend one neither.
        (date(2026, 1, 10), date(2026, 1, 30), date(2026, 1, 31), "published on a Saturday"),
    ],
)
def test_ei6_fifteen_whole_belgian_working_days_between_publication_and_effect(
    published_on: date, too_soon: date, earliest: date, why: str
) -> None:
    """EI-6, issue 18 item 5: "15 werkdagen voor de wijzigingen van kracht worden": the
    day before the earliest date is refused with that date and the rule; the earliest date
    itself is accepted. Across Easter Monday, 21 July and Christmas–New Year."""
    with pytest.raises(TermsTooSoon) as refused:
        publish([], "2027.1", too_soon, SUMMARY, published_on)
    assert refused.value.earliest_effective_on == earliest, why
    assert refused.value.rule == "EI-6"
    assert refused.value.effective_on == too_soon
    published = publish([], "2027.1", earliest, SUMMARY, published_on)
    assert (published.version, published.effective_on, published.published_on) == (
        "2027.1",
        earliest,
        published_on,
    )


def test_ei6_an_effective_date_on_the_publication_day_or_before_is_refused() -> None:
    """EI-6, issue 18 item 5: far too soon says the same earliest date."""
    for effective_on in (date(2026, 1, 5), date(2026, 1, 1)):
        with pytest.raises(TermsTooSoon) as refused:
            publish([], "v2", effective_on, SUMMARY, date(2026, 1, 5))
        assert refused.value.earliest_effective_on == date(2026, 1, 27)


EXISTING = [
    version("2026.1", date(2026, 1, 1), date(2025, 11, 3)),
    version("2026.2", date(2026, 6, 1), date(2026, 4, 1)),
]


@pytest.mark.parametrize(
    ("name", "effective_on", "message"),
    [
        ("2026.2", date(2027, 3, 1), "exists already"),  # unique versions
        ("2027.1", date(2026, 6, 1), "after the latest"),  # the same day as the latest
        ("2027.1", date(2026, 5, 31), "after the latest"),
        ("", date(2027, 3, 1), "version is"),
        ("2027 1", date(2027, 3, 1), "version is"),
        ("-2027", date(2027, 3, 1), "version is"),
        ("v" * 33, date(2027, 3, 1), "version is"),
    ],
)
def test_ei6_versions_are_unique_and_take_effect_in_order(
    name: str, effective_on: date, message: str
) -> None:
    """EI-6, issue 18 item 5: one text per version name; each new version after the latest
    (its day, and the day before, refused; the day after accepted below)."""
    with pytest.raises(InvalidTerms, match=message):
        publish(EXISTING, name, effective_on, SUMMARY, date(2026, 1, 5))


def test_ei6_the_day_after_the_latest_effective_date_is_accepted() -> None:
    """EI-6, issue 18 item 5: the other side of the ordering boundary (and 32 characters)."""
    new = publish(EXISTING, "v" * 32, date(2026, 6, 2), SUMMARY, date(2026, 4, 20))
    assert new.effective_on == date(2026, 6, 2)


@pytest.mark.parametrize(
    ("nl", "fr", "message"),
    [(" ", "Conditions", "in nl"), ("Voorwaarden", "", "in fr"), ("x" * 2001, "y", "2000")],
)
def test_ei6_a_summary_in_both_languages(nl: str, fr: str, message: str) -> None:
    """EI-6, issue 18 item 5: members read the change in nl or fr (2000 characters pass)."""
    assert Summary("x" * 2000, "y").nl == "x" * 2000
    with pytest.raises(InvalidTerms, match=message):
        Summary(nl, fr)


def test_ei6_listing_in_force_and_announced() -> None:
    """EI-6, issue 18 item 5: newest first; the version in force on a day; what is coming."""
    coming = version("2026.3", date(2026, 12, 1), date(2026, 10, 1))
    versions = [EXISTING[1], coming, EXISTING[0]]
    assert [v.version for v in ordered(versions)] == ["2026.3", "2026.2", "2026.1"]
    assert in_force(versions, date(2025, 12, 31)) is None
    assert in_force(versions, date(2026, 1, 1)) == EXISTING[0]
    assert in_force(versions, date(2026, 5, 31)) == EXISTING[0]
    assert in_force(versions, date(2026, 6, 1)) == EXISTING[1]
    assert in_force(versions, date(2026, 11, 30)) == EXISTING[1]
    assert in_force(versions, date(2026, 12, 1)) == coming
    assert announced(versions, date(2026, 11, 30)) == [coming]
    assert announced(versions, date(2026, 12, 1)) == []


def test_ei6_a_version_takes_effect_after_its_publication_day() -> None:
    """EI-6, issue 18 item 5: reference data too (the day itself is refused)."""
    with pytest.raises(InvalidTerms, match="after the day"):
        version("v1", date(2026, 1, 5), date(2026, 1, 5))
    assert version("v1", date(2026, 1, 6), date(2026, 1, 5)).version == "v1"
