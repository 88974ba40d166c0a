"""billing-svc's e-invoicing state in Mongo (issue 18 item 3; EI-2, EI-3): one
``EInvoicing`` aggregate per member, insert-only versions with their outbox
(``einvoicing.changed``), as every member's switch (``mylm_shared.switch_store``)."""

from mylm_shared.aggregates import MongoAggregates, store_indexes
from mylm_shared.events import EINVOICING_CHANGED
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.switch_store import SwitchMapper, switch_store
from pymongo.asynchronous.database import AsyncDatabase

from billing.domain.einvoicing import EInvoicing

EINVOICING = "einvoicing"

EINVOICING_INDEXES: list[IndexSpec] = store_indexes(EINVOICING)


class EInvoicingMapper(SwitchMapper[EInvoicing]):
    """EInvoicing ↔ stored document (with each switch's cause: the system's switches name
    their ``account.*`` event); ``EInvoicingChanged`` → ``einvoicing.changed``."""

    def __init__(self) -> None:
        super().__init__(EInvoicing, EINVOICING_CHANGED, causes=True)


def einvoicing_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[EInvoicing]:
    return switch_store(db, EINVOICING, EInvoicingMapper(), source)
