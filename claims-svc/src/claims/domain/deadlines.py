"""The insurer's promised deadlines (PA-8, LA-6, LA-8), last day inclusive.

* PA-8 "binnen de 4 maanden na de aangifte ... een voorschot"; "een provisioneel aanbod
  ... 2 jaar na het ongeval" (if not consolidated and expected disability "hoger ... dan
  50%", a quarter of that indemnity); "een definitieve offerte ... binnen een termijn van 3
  maanden na ontvangst van het consolidatieverslag"; "de overeengekomen bedragen te storten
  binnen een termijn van 1 maand na uw aanvaarding van de offerte".
* LA-6 "binnen een termijn van 5 maanden na de schadeaangifte bij LAR" (then LAR
  reimburses); "binnen een termijn van 30 dagen na de aanvaarding van de offerte".
* LA-8 "binnen een termijn van 3 maanden na de aangifte van het schadegeval" for the
  e-merchant before LAR refunds.

Terms in months "na" an event are counted as art. 1.7 of the Civil Code Book 1 does
(``term_end``: from the day after, "tot de dag vóór de zoveelste", the month's last day
when it has no such day): an acceptance on 28 February 2026 is paid by 31 March.
"""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from mylm_shared.kernel.money import to_cents

from claims.domain.dates import add_days, add_years, term_end

PROVISIONAL_MIN_PCT = Decimal(50)  # "hoger ... dan 50%"


def advance_due(declared_on: date) -> date:
    return term_end(declared_on, 4)


def provisional_offer_due(
    event_date: date, expected_pct: Decimal, consolidated: bool
) -> date | None:
    if consolidated or expected_pct <= PROVISIONAL_MIN_PCT:
        return None
    return add_years(event_date, 2)


def provisional_offer_amount(indemnity_for_expected_pct: Decimal) -> Decimal:
    """PA-8 "een vierde van de vergoeding berekend in functie van deze gemiddelde graad"."""
    return to_cents(indemnity_for_expected_pct / 4, rounding=ROUND_HALF_EVEN)


def final_offer_due(consolidation_report_received_on: date) -> date:
    return term_end(consolidation_report_received_on, 3)


def accident_payment_due(accepted_on: date) -> date:
    return term_end(accepted_on, 1)


def eprotection_resolution_due(declared_on: date) -> date:
    """LA-6: after this day unresolved identity theft / payment fraud is reimbursed."""
    return term_end(declared_on, 5)


def eprotection_payment_due(accepted_on: date) -> date:
    return add_days(accepted_on, 30)


def merchant_settlement_due(declared_on: date) -> date:
    """LA-8: after this day LAR refunds the price if the e-merchant has not settled."""
    return term_end(declared_on, 3)
