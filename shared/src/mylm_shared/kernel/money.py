"""Amounts in euros: the cent, rounding to it, and "at most two decimals" (issue 17 item 8).

Amounts are ``Decimal`` euros everywhere (never floats). Each caller names its rounding
mode: the policy conditions' premiums, taxes and admin costs round half up (PC-8), the
claims engine's amounts half to even (``Decimal.quantize``'s default, kept as it was). The
mode is a required argument so that no site changes its rounding by accident.

Pure: no I/O, no framework. Formatting for members is ``mylm_shared.kernel.formatting``.
"""

from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal, *, rounding: str) -> Decimal:
    """``amount`` rounded to the cent with ``rounding`` (``decimal.ROUND_HALF_UP`` …):
    ``to_cents(Decimal("2.345"), rounding=ROUND_HALF_UP)`` → ``2.35``, half to even
    ``2.34``; a whole amount gains its cents (``"400"`` → ``400.00``)."""
    return amount.quantize(CENT, rounding=rounding)


def is_whole_cents(amount: Decimal) -> bool:
    """True when ``amount`` has at most two decimals (``12.30`` and ``12.3`` yes, ``12.305``
    no): an amount a bank transfer or an invoice line can carry."""
    return amount == amount.quantize(CENT)
