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
