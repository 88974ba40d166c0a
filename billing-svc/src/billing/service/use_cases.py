"""billing-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the routes get this object through one typed dependency
(``entrypoints/deps.py``), the consumers and the unit tests from ``bootstrap`` (with
the fakes of ``testkit/fakes/billing.py``)."""

from dataclasses import dataclass

from billing.service.downloads import InvoiceDownloads
from billing.service.dunning import DunningService
from billing.service.einvoicing import EInvoicingService
from billing.service.handlers import BillingService
from billing.service.notices import MaintenanceService, NoticeFanout, TermsService
from billing.service.payments import PaymentsService


@dataclass(frozen=True)
class BillingUseCases:
    # Invoices (EI-1..EI-5) and the member projection behind them.
    billing: BillingService
    # Payments received (PC-4's invoice.paid) and the worklist.
    payments: PaymentsService
    # Invoice PDFs (rendered once, stored) for downloads (issue 18 item 2; EI-1, MT-1).
    downloads: InvoiceDownloads
    # E-invoicing on and off (issue 18 item 3; EI-2, EI-3): the channel of each invoice.
    einvoicing: EInvoicingService
    # The daily dunning job (issue 18 item 4; EI-5, PC-8), run by the scheduler and staff.
    dunning: DunningService
    # Terms changes (issue 18 item 5; EI-6) and maintenance windows (item 6; EI-7), and
    # their announcement to every e-invoicing member (the scheduler's fan-out).
    terms: TermsService
    maintenance: MaintenanceService
    notices: NoticeFanout
