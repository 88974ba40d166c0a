"""FastAPI dependencies of policy-svc's routes: the use cases ``bootstrap`` wired, typed
(docs/architecture.md "Wiring"); a route takes one of the use cases below."""

from typing import Annotated

from fastapi import Depends
from mylm_shared.service import use_cases

from policy.service.amendments import AmendmentService
from policy.service.handlers import PolicyService
from policy.service.premiums import PremiumService
from policy.service.use_cases import PolicyUseCases

UseCases = Annotated[PolicyUseCases, use_cases(PolicyUseCases)]


def _policies(use_cases: UseCases) -> PolicyService:
    return use_cases.policies


def _premiums(use_cases: UseCases) -> PremiumService:
    return use_cases.premiums


def _amendments(use_cases: UseCases) -> AmendmentService:
    return use_cases.amendments


Policies = Annotated[PolicyService, Depends(_policies)]
Premiums = Annotated[PremiumService, Depends(_premiums)]
Amendments = Annotated[AmendmentService, Depends(_amendments)]
