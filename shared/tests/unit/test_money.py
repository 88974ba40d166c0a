"""The cent in one place (issue 17 item 8): each caller names its rounding mode, so the
policy's half-up premiums (PC-8) and the claims engine's half-to-even amounts keep their
rounding exactly."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from mylm_shared.kernel.money import CENT, ZERO, is_whole_cents, to_cents


def test_the_cent_and_zero() -> None:
    assert Decimal("0.01") == CENT
    assert str(ZERO) == "0.00"


@pytest.mark.parametrize(
    ("amount", "half_up", "half_even"),
    [
        ("2.345", "2.35", "2.34"),
        ("2.355", "2.36", "2.36"),
        ("-2.345", "-2.35", "-2.34"),
        ("5.5500", "5.55", "5.55"),
        ("400", "400.00", "400.00"),
    ],
)
def test_rounding_to_cents_follows_the_mode_named(
    amount: str, half_up: str, half_even: str
) -> None:
    """PC-8 rounds half up; the claims engine rounds half to even (Decimal's default)."""
    assert str(to_cents(Decimal(amount), rounding=ROUND_HALF_UP)) == half_up
    assert str(to_cents(Decimal(amount), rounding=ROUND_HALF_EVEN)) == half_even
    assert to_cents(Decimal(amount), rounding=ROUND_HALF_EVEN) == Decimal(amount).quantize(CENT)


@pytest.mark.parametrize(
    ("amount", "whole"),
    [
        ("12.30", True),
        ("12.3", True),
        ("12", True),
        ("0.01", True),
        ("12.305", False),
        ("0.001", False),
        ("12.300", True),
    ],
)
def test_at_most_two_decimals(amount: str, whole: bool) -> None:
    """EI-1: an invoice line and a payment carry whole cents."""
    assert is_whole_cents(Decimal(amount)) is whole
