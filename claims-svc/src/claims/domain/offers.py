"""Offers and payouts (PA-8, LA-6): what staff offer on an accepted claim, the member's
acceptance with their IBAN, and the one payout instruction an accepted offer produces.

* PA-8 "een voorschot" (advance), "een provisioneel aanbod" (provisional), "een
  definitieve offerte" (final); "de overeengekomen bedragen te storten binnen een termijn
  van 1 maand na uw aanvaarding van de offerte".
* LA-6 "binnen een termijn van 30 dagen na de aanvaarding van de offerte". The conditions
  give no other payment term for e-protection, so every e-protection offer is paid within
  LA-6's 30 days.

The payout is an instruction to the bank: staff record its execution (``paid_on``).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from claims.domain import deadlines
from claims.domain.facts import EPROTECTION_COVERS, Cover

OfferKind = Literal["advance", "provisional", "final"]
OFFER_KINDS: tuple[OfferKind, ...] = ("advance", "provisional", "final")
OfferStatus = Literal["open", "accepted", "superseded"]
PayoutStatus = Literal["instructed", "paid"]

# The SEPA scheme's countries (EPC list): a payout is a SEPA credit transfer.
_SEPA = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "IS LI NO CH MC SM VA AD GB GI"
)
SEPA_COUNTRIES = frozenset(_SEPA.split())


class InvalidIban(ValueError):
    """Not a valid IBAN, or not in a SEPA country (422)."""


def valid_iban(value: str) -> str:
    """The IBAN in its compact form (python-stdnum: format, country length, mod-97
    check digits), in a SEPA country."""
    try:
        compact: str = stdnum_iban.validate(value)
    except ValidationError as error:
        raise InvalidIban(f"not a valid IBAN: {error}") from None
    if compact[:2] not in SEPA_COUNTRIES:
        raise InvalidIban(f"not a SEPA account: {compact[:2]} is outside the SEPA area")
    return compact


def payout_id_for(offer_id: str) -> str:
    """One payout per accepted offer: its id derives from the offer's, so a retried or
    redelivered acceptance finds the same payout."""
    return str(uuid5(NAMESPACE_URL, f"mylm:payout:{offer_id}"))


def payment_due(cover: Cover, accepted_on: date) -> tuple[date, str]:
    """The last day to pay after the member accepted, and the rule that promises it."""
    if cover in EPROTECTION_COVERS:
        return deadlines.eprotection_payment_due(accepted_on), "LA-6"
    return deadlines.accident_payment_due(accepted_on), "PA-8"


@dataclass(frozen=True)
class Offer:
    offer_id: str
    kind: OfferKind
    amount: Decimal
    respond_by: date | None
    made_at: datetime
    made_by: str
    status: OfferStatus = "open"
    accepted_on: date | None = None
    accepted_by: str | None = None
    pay_by: date | None = None
    iban: str | None = None  # compact; only the last four leave the service on the bus
    # Issue 15 item 7: the titular's member id when a titular accepted acting for the
    # claimant (``accepted_by`` is then the titular's account); None otherwise.
    acted_by: str | None = None


@dataclass(frozen=True)
class Payout:
    """The instruction to pay an accepted offer to the member's IBAN."""

    payout_id: str
    offer_id: str
    amount: Decimal
    iban: str
    instructed_on: date
    pay_by: date
    rule: str  # PA-8 or LA-6
    status: PayoutStatus = "instructed"
    paid_on: date | None = None
    recorded_by: str | None = None

    @property
    def iban_last4(self) -> str:
        return self.iban[-4:]
