"""A payment received on the bank account: what the bank says, validated and normalised.

The structured reference (OGM/VCS) is accepted as ``+++123/4567/89002+++``, with ``***``
or as 12 digits, and kept in the form invoices carry it; the IBAN is kept compact.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.money import is_whole_cents
from stdnum import iban
from stdnum.be import ogm_vcs as ogm
from stdnum.exceptions import ValidationError

from billing.domain.invoice import CountedOutcome

PaymentOutcome = CountedOutcome | Literal["unmatched"]
# Outcomes a person must look at: money we cannot place, or more than was due.
NEEDS_REVIEW: frozenset[PaymentOutcome] = frozenset({"unmatched", "overpaid"})

_REFERENCE_NOISE = re.compile(r"[+*/\s.]")


class InvalidPayment(ValueError):
    """The payment breaks a rule; the message says which, for the problem+json detail."""


def normalise_reference(raw: str) -> str:
    """``+++123/4567/89002+++``, ``***…***`` or 12 digits → ``+++123/4567/89002+++``."""
    digits = _REFERENCE_NOISE.sub("", raw)
    if not (digits.isascii() and digits.isdigit() and len(digits) == 12):
        raise InvalidPayment("the structured reference must be 12 digits (+++123/4567/89002+++)")
    try:
        ogm.validate(digits)
    except ValidationError:
        raise InvalidPayment("the structured reference's check digits are wrong") from None
    return f"+++{ogm.format(digits)}+++"


def normalise_iban(raw: str) -> str:
    try:
        return str(iban.validate(raw))
    except ValidationError:
        raise InvalidPayment("the counterparty IBAN is not valid") from None


@dataclass(frozen=True)
class Payment:
    """One credit transfer as the bank reports it (validated on construction)."""

    payment_id: str
    structured_reference: str
    amount: Decimal
    value_date: date
    counterparty_iban: str

    def __post_init__(self) -> None:
        if not self.amount.is_finite() or self.amount <= 0:
            raise InvalidPayment("the amount must be a positive number")
        if not is_whole_cents(self.amount):
            raise InvalidPayment("the amount has at most two decimals (cents)")

    @classmethod
    def received(
        cls, payment_id: str, reference: str, amount: Decimal, value_date: date, account: str
    ) -> "Payment":
        return cls(
            payment_id, normalise_reference(reference), amount, value_date, normalise_iban(account)
        )


@dataclass(frozen=True)
class RecordedPayment:
    """A payment as billing keeps it (insert-only): what came in and where it went.
    ``excess``: what was beyond the invoice's outstanding amount (overpaid)."""

    payment: Payment
    outcome: PaymentOutcome
    invoice_id: str | None
    excess: Decimal
    request_fingerprint: str  # of the request that recorded it (mylm_shared.kernel.idempotency)
    recorded_at: datetime

    @property
    def needs_review(self) -> bool:
        return self.outcome in NEEDS_REVIEW
