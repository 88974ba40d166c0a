"""Amounts and dates as Belgian members read them, per language (Babel's CLDR data).

``euro(Decimal("1234.5"), "nl")`` → ``€ 1.234,50``; in French ``1 234,50 €`` (CLDR puts
no-break spaces where a line must not break).
"""

from datetime import date
from decimal import Decimal

from babel.numbers import format_currency

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE"}


def euro(amount: Decimal, language: str) -> str:
    return str(format_currency(amount, "EUR", locale=LOCALES.get(language, "nl_BE")))


def day(value: date) -> str:
    """dd/mm/yyyy, as printed on Belgian invoices in every language."""
    return value.strftime("%d/%m/%Y")
