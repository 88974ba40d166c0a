"""Event envelopes: parsing, forward compatibility, malformed input."""

from datetime import date
from decimal import Decimal

import pytest
from mylm_shared.consumer import MalformedEvent, parse_event
from mylm_shared.events import INVOICE_ISSUED, MEMBER_REGISTERED, InvoiceIssuedV1, new_event
from mylm_shared.events.catalog import InvoiceLineV1


def invoice_event_json() -> bytes:
    payload = InvoiceIssuedV1(
        invoice_id="i-1",
        member_id="m-1",
        issue_date=date(2026, 11, 23),
        due_date=date(2026, 12, 23),
        total=Decimal("19.75"),
        structured_reference="+++000/0000/00101+++",
        lines=[
            InvoiceLineV1(service_date=date(2026, 11, 2), description="x", amount=Decimal("19.75"))
        ],
    )
    return (
        new_event(INVOICE_ISSUED, payload, source="/billing-svc", subject="m-1")
        .model_dump_json()
        .encode()
    )


def test_a_published_event_parses_back() -> None:
    envelope, payload = parse_event(invoice_event_json(), INVOICE_ISSUED)
    assert envelope.type == "be.mylm.invoice.issued.v1"
    assert envelope.subject == "m-1"
    assert isinstance(payload, InvoiceIssuedV1)
    assert payload.total == Decimal("19.75")


def test_unknown_fields_are_ignored() -> None:
    body = invoice_event_json().replace(b'"invoice_id"', b'"future_field":1,"invoice_id"')
    _, payload = parse_event(body, INVOICE_ISSUED)
    assert isinstance(payload, InvoiceIssuedV1)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"{}", b'{"specversion":"1.0","id":"x","source":"s","type":"t","time":"nope"}'],
)
def test_garbage_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedEvent):
        parse_event(body, INVOICE_ISSUED)


def test_an_event_of_another_type_is_malformed() -> None:
    with pytest.raises(MalformedEvent):
        parse_event(invoice_event_json(), MEMBER_REGISTERED)
