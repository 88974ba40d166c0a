"""The API's scalar types: amounts and other decimals as strings, bounded dates, ISO 3166
alpha-2 countries (checked against pycountry's list, not only their shape)."""

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field, PlainSerializer, PlainValidator, WithJsonSchema

AMOUNT_PATTERN = r"^\d{1,9}(\.\d{1,2})?$"
QUANTITY_PATTERN = r"^\d{1,6}(\.\d{1,2})?$"
PERCENT_PATTERN = r"^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$"


def _decimal_string(pattern: str, what: str) -> PlainValidator:
    compiled = re.compile(pattern)

    def parse(value: object) -> Decimal:
        # Strings only: a JSON number may already have lost its cents in the client.
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"{what} as a decimal string matching {pattern}")
        return Decimal(value)

    return PlainValidator(parse)


# Euros incl. VAT, at most two decimals ("150.00").
Amount = Annotated[
    Decimal,
    _decimal_string(AMOUNT_PATTERN, "an amount in euros"),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN, "examples": ["150.00"]}),
]
# Calls, hours, nights, days … ("2", "1.5").
Quantity = Annotated[
    Decimal,
    _decimal_string(QUANTITY_PATTERN, "a quantity"),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": QUANTITY_PATTERN, "examples": ["1"]}),
]
# 0 to 100 ("12.5").
Percent = Annotated[
    Decimal,
    _decimal_string(PERCENT_PATTERN, "a percentage from 0 to 100"),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": PERCENT_PATTERN, "examples": ["12"]}),
]

# Calendar arithmetic near date.max would overflow; no contract is that old or that far off.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2199, 12, 31))]


def _known_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[
    str,
    Field(pattern=r"^[A-Z]{2}$", examples=["BE"]),
    AfterValidator(_known_country),
]

# Counts of days, persons, weeks: bounded so that no arithmetic can overflow.
Count = Annotated[int, Field(ge=0, le=100_000)]
