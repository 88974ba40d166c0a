"""FastAPI dependencies of billing-svc's routes: the use cases ``bootstrap`` wired, typed
(docs/architecture.md "Wiring"); a route takes one of the use cases below."""

from typing import Annotated

from fastapi import Depends
from mylm_shared.service import use_cases

from billing.service.downloads import InvoiceDownloads
from billing.service.handlers import BillingService
from billing.service.payments import PaymentsService
from billing.service.use_cases import BillingUseCases

UseCases = Annotated[BillingUseCases, use_cases(BillingUseCases)]


def _billing(use_cases: UseCases) -> BillingService:
    return use_cases.billing


def _payments(use_cases: UseCases) -> PaymentsService:
    return use_cases.payments


def _downloads(use_cases: UseCases) -> InvoiceDownloads:
    return use_cases.downloads


Billing = Annotated[BillingService, Depends(_billing)]
Downloads = Annotated[InvoiceDownloads, Depends(_downloads)]
Payments = Annotated[PaymentsService, Depends(_payments)]
