"""The private-life accident product: covers, thresholds and tariff (PC-1, PC-8, PC-12).

Product data, not rules: change the numbers here (one place) when the tariff changes. The
premium is per insurance year and never indexed (PC-12).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mylm_shared.kernel.money import to_cents

from policy.domain.insured import Formula

ACCIDENT = "accident"
ASSISTANCE = "assistance"
E_PROTECTION = "e_protection"
ALWAYS_COVERED = (ACCIDENT, ASSISTANCE)  # PC-1: every contract holds these

# The intervention thresholds the product offers (% of permanent invalidity).
THRESHOLDS_PCT: tuple[int, ...] = (5, 10)

# Yearly net premium (EUR) by formula and threshold; a higher threshold costs less.
NET_PREMIUM: dict[tuple[Formula, int], Decimal] = {
    ("single", 5): Decimal("84.00"),
    ("single", 10): Decimal("72.00"),
    ("family", 5): Decimal("156.00"),
    ("family", 10): Decimal("132.00"),
}
# Yearly net premium of the optional e-protection cover (PC-1), by formula.
E_PROTECTION_NET: dict[Formula, Decimal] = {
    "single": Decimal("36.00"),
    "family": Decimal("48.00"),
}
TAX_RATE = Decimal("0.0925")  # PC-8 "taxes": the yearly insurance-contract tax
CONTRIBUTION_RATE = Decimal("0.0")  # PC-8 "contributions and costs": none on this product


@dataclass(frozen=True)
class CoverAmount:
    """An amount the general conditions set for a cover, as the member is told it (never
    indexed: PC-12). ``key`` names it for clients; ``rule`` is the DOMAIN.md rule."""

    key: str
    cover: str
    amount: Decimal
    rule: str
    per: str


# The general conditions' amounts (seeds/private-life-accident-policy-nl.txt), one place
# for every client of policy-svc (issue 20 item 2: the portal reads them from the API).
COVER_AMOUNTS: tuple[CoverAmount, ...] = (
    # PA-5 "ten belope van 1.000.000 EUR per ongeval, en per verzekerde slachtoffer. De
    # begrafeniskosten blijven evenwel beperkt tot 5.000 EUR."
    CoverAmount("limit_accident", ACCIDENT, Decimal("1000000.00"), "PA-5", "accident_victim"),
    CoverAmount("funeral", ACCIDENT, Decimal("5000.00"), "PA-5", "accident_victim"),
    # AS-3 medical costs abroad "ten belope van 7.500 EUR".
    CoverAmount("medical_abroad", ASSISTANCE, Decimal("7500.00"), "AS-3", "accident_insured"),
    # LA-11 "Bedrag van onze dekking": 5.000 EUR per claim and insurance year for
    # e-reputation and every Group II cover (LA-6, LA-8); Group I's defence has one amount
    # per judicial stage (claims-svc applies those).
    CoverAmount(
        "limit_e_protection", E_PROTECTION, Decimal("5000.00"), "LA-11", "claim_insurance_year"
    ),
)


def cover_amounts(e_protection: bool) -> tuple[CoverAmount, ...]:
    """The amounts of the covers a contract holds (PC-1)."""
    held = covers(e_protection)
    return tuple(a for a in COVER_AMOUNTS if a.cover in held)


class InvalidProduct(ValueError):
    """A choice the product does not offer (unknown threshold …)."""


@dataclass(frozen=True)
class Premium:
    net: Decimal
    taxes: Decimal
    contributions: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.taxes + self.contributions


def covers(e_protection: bool) -> tuple[str, ...]:
    """PC-1: accident and assistance always, e-protection only if chosen."""
    return (*ALWAYS_COVERED, E_PROTECTION) if e_protection else ALWAYS_COVERED


def premium(formula: Formula, threshold_pct: int, e_protection: bool) -> Premium:
    """PC-8: the yearly premium as net + taxes + contributions (PC-12: never indexed)."""
    if threshold_pct not in THRESHOLDS_PCT:
        offered = ", ".join(f"{t} %" for t in THRESHOLDS_PCT)
        raise InvalidProduct(f"threshold {threshold_pct} % is not offered (offered: {offered})")
    net = NET_PREMIUM[(formula, threshold_pct)]
    if e_protection:
        net += E_PROTECTION_NET[formula]
    return Premium(
        net=net,
        taxes=to_cents(net * TAX_RATE, rounding=ROUND_HALF_UP),
        contributions=to_cents(net * CONTRIBUTION_RATE, rounding=ROUND_HALF_UP),
    )
