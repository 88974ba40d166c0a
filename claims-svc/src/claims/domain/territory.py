"""Countries and trip lengths (PA-3, AS-3, AS-6, LA-13).

Trips and rentals are given by their first and last day (both inclusive). A period "does
not exceed" N months when the day after its last day is at most its first day + N months
(1 January .. 31 March is exactly 3 months; .. 1 April exceeds them); it is "less than" N
months when that day is strictly before. Stays in days count both ends (a stay from 1 to
3 July is 3 days).
"""

from datetime import date

from claims.domain.dates import add_days, add_months

EU = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "HU",
    }
)
# LA-13: "de Europese Unie daarin begrepen Zwitserland, Monaco, Andorra, San Marino,
# Vaticaanstad, Liechtenstein en Noorwegen".
EU_PLUS = EU | {"CH", "MC", "AD", "SM", "VA", "LI", "NO"}
# LA-8, LA-9, LA-13: "België, Frankrijk, Luxemburg, Duitsland of Nederland".
MERCHANT_COUNTRIES = frozenset({"BE", "FR", "LU", "DE", "NL"})


def not_exceeding_months(first: date, last: date, months: int) -> bool:
    return add_days(last, 1) <= add_months(first, months)


def less_than_months(first: date, last: date, months: int) -> bool:
    return add_days(last, 1) < add_months(first, months)


def stay_days(first: date, last: date) -> int:
    return (last - first).days + 1
