"""claims-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the routes get this object through one typed dependency
(``entrypoints/deps.py``), the unit tests from ``bootstrap`` (with the fakes of
``testkit/fakes/claims.py``)."""

from dataclasses import dataclass

from claims.service.handlers import ClaimsService
from claims.service.settlement import SettlementService


@dataclass(frozen=True)
class ClaimsUseCases:
    # Declarations, the cover decision, documents, deadlines (PA, AS, LA, CL).
    claims: ClaimsService
    # Offers, payout accounts and payments (PA-8, LA-6, issue 15 item 7).
    settlement: SettlementService
