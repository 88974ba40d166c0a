"""Countries and trip lengths (PA-3, AS-3, AS-6, LA-13).

Trips and rentals are given by their first and last day (both inclusive). N months from
a first day end as art. 1.7 of the Civil Code Book 1 counts them (``period_last_day``:
1 January + 3 months ends on 31 March; 31 January + 3 months on 30 April, since 31 April
does not exist). A trip "does not exceed" N months when its last day is at most that day
(1 January .. 31 March yes, .. 1 April no); a rental is "less than" N months when its
last day is before it. Stays in days count both ends (1 to 3 July is 3 days).
"""

from datetime import date

from claims.domain.dates import period_last_day

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
    return last <= period_last_day(first, months)


def less_than_months(first: date, last: date, months: int) -> bool:
    return last < period_last_day(first, months)


def stay_days(first: date, last: date) -> int:
    return (last - first).days + 1
