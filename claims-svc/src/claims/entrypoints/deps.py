"""FastAPI dependencies of claims-svc's routes: the use cases ``bootstrap`` wired, typed
(docs/architecture.md "Wiring"); a route takes one of the use cases below."""

from typing import Annotated

from fastapi import Depends
from mylm_shared.service import use_cases

from claims.service.handlers import ClaimsService
from claims.service.settlement import SettlementService
from claims.service.use_cases import ClaimsUseCases

UseCases = Annotated[ClaimsUseCases, use_cases(ClaimsUseCases)]


def _claims(use_cases: UseCases) -> ClaimsService:
    return use_cases.claims


def _settlement(use_cases: UseCases) -> SettlementService:
    return use_cases.settlement


Claims = Annotated[ClaimsService, Depends(_claims)]
Settlement = Annotated[SettlementService, Depends(_settlement)]
