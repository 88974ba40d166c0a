"""Termination grounds, windows and effective dates (PC-6, PC-8, PC-9, PC-10, PC-11)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from policy.domain.termination import (
    CHANNELS,
    GROUNDS,
    ContractDates,
    Notice,
    OutsideWindow,
    TerminationRefused,
    Window,
    one_month_notice_effect,
    terminate,
)

CONTRACT = ContractDates(signed_on=date(2025, 12, 1), starts_on=date(2026, 1, 1))


def notice(**fields: object) -> Notice:
    base = Notice(
        by="insurer",
        ground="legal_change",
        notified_on=date(2027, 1, 31),
        channel="registered_letter",
        law_changed_on=date(2026, 1, 1),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def refused_window(n: Notice, contract: ContractDates = CONTRACT) -> OutsideWindow:
    with pytest.raises(OutsideWindow) as caught:
        terminate(contract, n)
    return caught.value


# --- PC-11: one month from the day after posting / service / receipt -------------------


@pytest.mark.parametrize(
    ("notified_on", "effective_on"),
    [
        (date(2027, 1, 31), date(2027, 3, 1)),  # month runs 1 Feb..28 Feb
        (date(2027, 1, 30), date(2027, 2, 28)),  # 31 Jan + 1 month clamps to 28 Feb
        (date(2027, 1, 27), date(2027, 2, 28)),
        (date(2027, 1, 26), date(2027, 2, 27)),
        (date(2028, 1, 31), date(2028, 3, 1)),
        (date(2028, 1, 30), date(2028, 2, 29)),  # leap year
        (date(2028, 1, 28), date(2028, 2, 29)),
        (date(2027, 12, 31), date(2028, 2, 1)),  # Friday, year boundary
        (date(2027, 3, 10), date(2027, 4, 11)),
    ],
)
def test_pc11_effect_one_month_from_day_after_notice_with_month_end_clamping(
    notified_on: date, effective_on: date
) -> None:
    assert one_month_notice_effect(notified_on) == effective_on
    result = terminate(CONTRACT, notice(notified_on=notified_on))
    assert (result.effective_on, result.rule, result.effect_rule) == (
        effective_on,
        "PC-10",
        "PC-11",
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_pc11_registered_letter_posted_on_friday_counts_calendar_days_for_every_channel(
    channel: str,
) -> None:
    # Friday 29 January 2027: the month runs from Saturday 30 January; effect on Sunday
    # 28 February (no working-day shift: the conditions count calendar days).
    friday = date(2027, 1, 29)
    assert friday.isoweekday() == 5
    result = terminate(CONTRACT, notice(notified_on=friday, channel=channel))
    assert result.effective_on == date(2027, 2, 28)
    friday = date(2026, 7, 31)
    assert terminate(CONTRACT, notice(notified_on=friday, channel=channel)).effective_on == (
        date(2026, 9, 1)
    )


def test_pc11_unknown_channel_is_refused() -> None:
    with pytest.raises(TerminationRefused) as caught:
        terminate(CONTRACT, notice(channel="email"))
    assert caught.value.rule == "PC-11"


# --- who may use which ground (PC-9 / PC-10) --------------------------------------------


@pytest.mark.parametrize(
    "ground", ["conditions_change", "tariff_change", "risk_reduction", "late_start"]
)
def test_pc9_policyholder_only_grounds_are_refused_to_the_insurer(ground: str) -> None:
    with pytest.raises(TerminationRefused) as caught:
        terminate(CONTRACT, notice(by="insurer", ground=ground))
    assert caught.value.rule == "PC-10"
    assert not isinstance(caught.value, OutsideWindow)


@pytest.mark.parametrize("ground", ["aggravation", "non_payment", "legal_change"])
def test_pc10_insurer_only_grounds_are_refused_to_the_policyholder(ground: str) -> None:
    with pytest.raises(TerminationRefused) as caught:
        terminate(CONTRACT, notice(by="policyholder", ground=ground))
    assert caught.value.rule == "PC-9"


def test_pc9_pc10_every_ground_is_known_and_unknown_grounds_are_refused() -> None:
    assert len(GROUNDS) == 11  # issue 16: PC-6 interest_lost
    with pytest.raises(TerminationRefused):
        terminate(CONTRACT, notice(ground="boredom"))


# --- after a claim (PC-9, PC-10 window; PC-11 effect) -----------------------------------


def claim_notice(**fields: object) -> Notice:
    return notice(**{"ground": "after_claim", "claim_settled_on": date(2027, 1, 31), **fields})


@pytest.mark.parametrize("by", ["policyholder", "insurer"])
def test_pc9_pc10_after_claim_window_ends_one_month_after_settlement_clamped(by: str) -> None:
    ok = terminate(CONTRACT, claim_notice(by=by, notified_on=date(2027, 2, 28)))
    assert ok.rule == ("PC-9" if by == "policyholder" else "PC-10")
    assert ok.window == Window(date(2027, 1, 31), date(2027, 2, 28))
    late = refused_window(claim_notice(by=by, notified_on=date(2027, 3, 1)))
    assert late.rule == ok.rule
    assert late.window == Window(date(2027, 1, 31), date(2027, 2, 28))
    early = refused_window(claim_notice(by=by, notified_on=date(2027, 1, 30)))
    assert early.window.opens_on == date(2027, 1, 31)


def test_pc9_after_claim_window_in_a_leap_year_ends_29_february() -> None:
    n = claim_notice(claim_settled_on=date(2028, 1, 31), notified_on=date(2028, 2, 29))
    assert terminate(CONTRACT, n).window == Window(date(2028, 1, 31), date(2028, 2, 29))
    refused_window(replace(n, notified_on=date(2028, 3, 1)))


def test_pc11_after_claim_takes_effect_three_months_from_the_day_after_notice() -> None:
    result = terminate(CONTRACT, claim_notice(by="policyholder", notified_on=date(2027, 2, 28)))
    assert (result.effective_on, result.effect_rule) == (date(2027, 6, 1), "PC-11")
    result = terminate(CONTRACT, claim_notice(notified_on=date(2027, 2, 27)))
    assert result.effective_on == date(2027, 5, 28)


def test_pc11_after_claim_with_fraud_complaint_takes_effect_after_one_month() -> None:
    n = claim_notice(notified_on=date(2027, 2, 27), fraud_complaint_filed=True)
    assert terminate(CONTRACT, n).effective_on == date(2027, 3, 28)


def test_pc11_fraud_shortening_is_for_the_insurer_only() -> None:
    n = claim_notice(by="policyholder", notified_on=date(2027, 2, 27), fraud_complaint_filed=True)
    assert terminate(CONTRACT, n).effective_on == date(2027, 5, 28)


def test_pc9_after_claim_without_settlement_date_is_refused() -> None:
    with pytest.raises(TerminationRefused, match="claim_settled_on"):
        terminate(CONTRACT, notice(ground="after_claim", by="policyholder"))


# --- change of conditions / tariff (PC-9 window; PC-11 not before the due date) ---------


def change_notice(ground: str, notified_on: date, sent: date, **fields: object) -> Notice:
    return notice(
        by="policyholder",
        ground=ground,
        notified_on=notified_on,
        change_notified_on=sent,
        **fields,
    )


def test_pc9_conditions_change_window_is_30_days_after_the_insurers_notice() -> None:
    sent = date(2026, 9, 15)
    ok = terminate(CONTRACT, change_notice("conditions_change", date(2026, 10, 15), sent))
    assert ok.window == Window(sent, date(2026, 10, 15))
    late = refused_window(change_notice("conditions_change", date(2026, 10, 16), sent))
    assert (late.rule, late.window.closes_on) == ("PC-9", date(2026, 10, 15))


def test_pc11_conditions_change_not_before_the_annual_due_date() -> None:
    result = terminate(
        CONTRACT, change_notice("conditions_change", date(2026, 10, 15), date(2026, 9, 15))
    )
    assert result.effective_on == date(2027, 1, 1)  # one month would give 16 Nov 2026


def test_pc11_conditions_change_one_month_wins_when_later_than_the_due_date() -> None:
    result = terminate(
        CONTRACT, change_notice("conditions_change", date(2026, 12, 20), date(2026, 11, 25))
    )
    assert result.effective_on == date(2027, 1, 21)


def test_pc11_change_applies_on_given_due_date() -> None:
    n = change_notice(
        "tariff_change",
        date(2026, 10, 15),
        date(2026, 9, 15),
        change_applies_on=date(2028, 1, 1),
    )
    assert terminate(CONTRACT, n).effective_on == date(2028, 1, 1)


def test_pc9_tariff_change_window_is_three_months_clamped_to_february() -> None:
    sent = date(2026, 11, 30)
    ok = terminate(CONTRACT, change_notice("tariff_change", date(2027, 2, 28), sent))
    assert ok.window == Window(sent, date(2027, 2, 28))
    assert ok.effective_on == date(2027, 4, 1)  # due date 1 Jan 2027 already passed
    refused_window(change_notice("tariff_change", date(2027, 3, 1), sent))
    leap = change_notice("tariff_change", date(2028, 2, 29), date(2027, 11, 30))
    assert terminate(CONTRACT, leap).window == Window(date(2027, 11, 30), date(2028, 2, 29))


@pytest.mark.parametrize("ground", ["conditions_change", "tariff_change"])
def test_pc9_change_imposed_by_the_authorities_gives_no_right_to_terminate(ground: str) -> None:
    n = change_notice(
        ground, date(2026, 10, 1), date(2026, 9, 15), change_imposed_by_authorities=True
    )
    with pytest.raises(TerminationRefused) as caught:
        terminate(CONTRACT, n)
    assert caught.value.rule == "PC-9"


# --- risk reduction (PC-7, PC-9) ---------------------------------------------------------


def test_pc9_risk_reduction_opens_the_day_after_the_month_without_agreement() -> None:
    n = notice(
        by="policyholder",
        ground="risk_reduction",
        reduction_requested_on=date(2027, 1, 31),
        notified_on=date(2027, 3, 1),
    )
    assert terminate(CONTRACT, n).window == Window(date(2027, 3, 1), None)
    early = refused_window(replace(n, notified_on=date(2027, 2, 28)))
    assert (early.rule, early.window) == ("PC-9", Window(date(2027, 3, 1), None))


# --- late start (PC-9) -------------------------------------------------------------------


def test_pc9_late_start_window_ends_three_months_before_the_start() -> None:
    contract = ContractDates(signed_on=date(2026, 1, 15), starts_on=date(2027, 5, 31))
    n = notice(by="policyholder", ground="late_start", notified_on=date(2027, 2, 28))
    assert terminate(contract, n).window == Window(date(2026, 1, 15), date(2027, 2, 28))
    assert terminate(contract, n).effective_on == date(2027, 4, 1)
    late = refused_window(replace(n, notified_on=date(2027, 3, 1)), contract)
    assert late.window.closes_on == date(2027, 2, 28)


def test_pc9_late_start_needs_more_than_one_year_between_signing_and_start() -> None:
    n = notice(by="policyholder", ground="late_start", notified_on=date(2026, 2, 1))
    exactly_a_year = ContractDates(signed_on=date(2026, 1, 15), starts_on=date(2027, 1, 15))
    with pytest.raises(TerminationRefused, match="not more than one year"):
        terminate(exactly_a_year, n)
    a_year_and_a_day = ContractDates(signed_on=date(2026, 1, 15), starts_on=date(2027, 1, 16))
    assert terminate(a_year_and_a_day, n).window == Window(date(2026, 1, 15), date(2026, 10, 16))


# --- cover terminated by the other party (PC-9, PC-10) ----------------------------------


@pytest.mark.parametrize(("by", "rule"), [("policyholder", "PC-9"), ("insurer", "PC-10")])
def test_pc9_pc10_cover_terminated_by_the_other_party_opens_termination(by: str, rule: str) -> None:
    n = notice(
        by=by,
        ground="cover_terminated",
        cover_terminated_on=date(2027, 1, 31),
        notified_on=date(2027, 1, 31),
    )
    result = terminate(CONTRACT, n)
    assert (result.rule, result.effective_on) == (rule, date(2027, 3, 1))
    refused_window(replace(n, notified_on=date(2027, 1, 30)))


# --- aggravation (PC-7, PC-10) ----------------------------------------------------------


def test_pc7_pc10_aggravation_refused_amendment_gives_15_days() -> None:
    n = notice(
        ground="aggravation", amendment_refused_on=date(2027, 3, 10), notified_on=date(2027, 3, 25)
    )
    assert terminate(CONTRACT, n).window == Window(date(2027, 3, 10), date(2027, 3, 25))
    late = refused_window(replace(n, notified_on=date(2027, 3, 26)))
    assert (late.rule, late.window.closes_on) == ("PC-10", date(2027, 3, 25))


def test_pc7_pc10_aggravation_unanswered_amendment_gives_15_days_after_the_month() -> None:
    n = notice(
        ground="aggravation", amendment_received_on=date(2027, 1, 31), notified_on=date(2027, 3, 1)
    )
    assert terminate(CONTRACT, n).window == Window(date(2027, 3, 1), date(2027, 3, 15))
    refused_window(replace(n, notified_on=date(2027, 2, 28)))  # still time to accept
    refused_window(replace(n, notified_on=date(2027, 3, 16)))


def test_pc10_aggravation_never_insurable_one_month_from_knowledge() -> None:
    n = notice(
        ground="aggravation",
        never_insurable=True,
        aggravation_known_on=date(2028, 1, 31),
        notified_on=date(2028, 2, 29),
    )
    assert terminate(CONTRACT, n).window == Window(date(2028, 1, 31), date(2028, 2, 29))
    refused_window(replace(n, notified_on=date(2028, 3, 1)))


def test_pc10_aggravation_without_amendment_facts_is_refused() -> None:
    with pytest.raises(TerminationRefused, match="amendment_received_on"):
        terminate(CONTRACT, notice(ground="aggravation"))


# --- non-payment (PC-8, PC-10) -----------------------------------------------------------


def test_pc8_non_payment_takes_effect_on_the_date_of_the_formal_notice() -> None:
    friday = date(2027, 1, 29)
    n = notice(
        ground="non_payment", notified_on=friday, formal_notice_effective_on=date(2027, 2, 20)
    )
    result = terminate(CONTRACT, n)
    assert (result.effective_on, result.rule, result.effect_rule) == (
        date(2027, 2, 20),
        "PC-10",
        "PC-8",
    )


def test_pc8_non_payment_not_before_15_days_from_the_day_after_posting() -> None:
    friday = date(2027, 1, 29)  # 15 days run Sat 30 Jan .. Sat 13 Feb
    n = notice(ground="non_payment", notified_on=friday)
    assert terminate(CONTRACT, n).effective_on == date(2027, 2, 14)
    assert terminate(
        CONTRACT, replace(n, formal_notice_effective_on=date(2027, 2, 14))
    ).effective_on == date(2027, 2, 14)
    early = refused_window(replace(n, formal_notice_effective_on=date(2027, 2, 13)))
    assert (early.rule, early.window) == ("PC-8", Window(date(2027, 2, 14), None))


# --- legal change (PC-10) and emigration (PC-6) ----------------------------------------


def test_pc10_legal_change_window_opens_with_the_change() -> None:
    changed = date(2027, 1, 1)
    on_the_day = terminate(CONTRACT, notice(notified_on=changed, law_changed_on=changed))
    assert on_the_day.window == Window(changed, None)
    refused_window(notice(notified_on=date(2026, 12, 31), law_changed_on=changed))


@pytest.mark.parametrize("by", ["policyholder", "insurer"])
def test_pc6_emigration_ends_the_contract_on_the_departure_date(by: str) -> None:
    n = notice(
        by=by, ground="emigration", notified_on=date(2027, 3, 5), departure_on=date(2027, 2, 28)
    )
    result = terminate(CONTRACT, n)
    assert (result.effective_on, result.rule, result.effect_rule) == (
        date(2027, 2, 28),
        "PC-6",
        "PC-6",
    )


@pytest.mark.parametrize(
    ("day", "runs"),
    [
        pytest.param(date(2027, 4, 9), True, id="PC-6-day-interest-disappears-still-runs"),
        pytest.param(date(2027, 4, 10), False, id="PC-6-day-after-no-longer-runs"),
    ],
)
@pytest.mark.parametrize("by", ["policyholder", "insurer"])
def test_pc6_contract_ends_by_law_when_the_insured_interest_disappears(
    by: str, day: date, runs: bool
) -> None:
    """PC-6 second ground (issue 16): "beëindigt van rechtswege bij verdwijning van het
    verzekerde belang"; read in the insured's favour, the contract runs on that day
    (docs/rules.md PC-6) and ends from the day after."""
    n = notice(
        by=by,
        ground="interest_lost",
        notified_on=date(2027, 4, 20),
        interest_lost_on=date(2027, 4, 9),
    )
    result = terminate(CONTRACT, n)
    assert (result.rule, result.effect_rule, result.window) == ("PC-6", "PC-6", None)
    assert (day < result.effective_on) is runs


def test_pc6_interest_lost_without_its_date_is_refused() -> None:
    """PC-6 (issue 16): the ground needs the day the interest disappeared."""
    with pytest.raises(TerminationRefused) as caught:
        terminate(CONTRACT, notice(ground="interest_lost"))
    assert caught.value.rule == "PC-6"


def test_pc6_emigration_without_departure_date_is_refused() -> None:
    with pytest.raises(TerminationRefused) as caught:
        terminate(CONTRACT, notice(ground="emigration"))
    assert caught.value.rule == "PC-6"


def test_pc11_outside_window_error_names_rule_and_window_for_the_problem() -> None:
    error = refused_window(claim_notice(by="policyholder", notified_on=date(2027, 3, 1)))
    assert error.rule == "PC-9"
    assert "2027-01-31" in error.detail and "2027-02-28" in error.detail
    assert "2027-03-01" in error.detail


def test_pc11_one_month_effect_never_goes_backwards_and_is_about_a_month() -> None:
    day, previous = date(2026, 1, 1), date.min
    while day < date(2029, 1, 1):
        effective_on = one_month_notice_effect(day)
        assert previous <= effective_on
        assert 28 <= (effective_on - day).days <= 32
        previous, day = effective_on, day + timedelta(days=1)
