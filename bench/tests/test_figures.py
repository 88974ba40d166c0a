"""The benchmark's bookkeeping, without servers: figures per invoice id (a missing or
doubled e-mail is a figure, never a crash), steady rates, and the grown-store copies."""

from collections import Counter
from datetime import UTC, datetime

from bench.end_to_end import report
from bench.load import Post
from bench.seed import Template, copier
from bench.stats import steady_rate
from bench.trace import Arrivals, Published

INVOICE = "11111111-1111-4111-8111-111111111111"
EVENT = "22222222-2222-4222-8222-222222222222"
MEMBER = "33333333-3333-4333-8333-333333333333"
DOCUMENT = "44444444-4444-4444-8444-444444444444"


def _post(i: int, invoice_id: str | None, due: float = 100.0) -> Post:
    return Post(
        i,
        f"k{i}",
        due=due,
        started=due,
        answered=due + 0.2,
        status=201 if invoice_id else 500,
        invoice_id=invoice_id,
    )


def test_lost_and_duplicated_emails_are_counted_per_invoice_not_raised() -> None:
    posts = [_post(0, "a"), _post(1, "b"), _post(2, "c"), _post(3, None)]
    published = {
        "a": [Published("ea", 100.5)],
        "b": [Published("eb", 100.6), Published("eb", 100.9)],  # the relay sent it twice
        "c": [Published("ec", 100.7)],
    }
    arrivals = Arrivals(
        inbox={"a": 101.0, "b": 101.1, "c": None},
        email={"ea": 102.0, "eb": 102.5},  # no e-mail for c
        copies=Counter({"ea": 1, "eb": 2}),  # b's e-mail accepted twice
    )

    figures = report(posts, arrivals, published, finished=True)

    assert figures["sent"] == 4
    assert figures["post_errors"] == 1
    assert figures["emails"] == 2
    assert figures["inbox_documents"] == 3
    assert figures["lost"] == figures["lost_emails"] == 1
    assert figures["lost_inbox_documents"] == 0
    assert figures["duplicated"] == 1
    assert figures["republished"] == 1
    assert figures["stages"]["post_to_email"]["max_ms"] == 2500.0
    assert figures["stages"]["published_to_inbox"]["n"] == 2  # c has no stored_at


def test_steady_rate_leaves_out_start_and_tail() -> None:
    completions = [0.0] * 5 + [10 + i / 20 for i in range(90)] + [60.0] * 5
    assert steady_rate(completions) == 20.0


def test_grown_store_copies_replace_every_id_and_drop_the_outbox() -> None:
    template = Template(INVOICE, EVENT, MEMBER)
    stored = datetime(2026, 11, 23, tzinfo=UTC)
    template.per_invoice[("run_billing", "invoices")] = [
        {
            "_id": f"{INVOICE}@000001",
            "aggregate_id": INVOICE,
            "member_id": MEMBER,
            "structured_reference": "+++000/0000/00101+++",
            "_outbox": [{"id": EVENT}],
            "saved_at": stored,
        }
    ]
    template.per_invoice[("run_inbox", "processed_events")] = [{"_id": f"inbox-invoices:{EVENT}"}]
    template.per_invoice[("run_inbox", "documents")] = [{"_id": DOCUMENT, "source_id": INVOICE}]

    mapping = template.mapping(member_id="m-1", reference="+++900/0000/00097+++")
    copy = copier(template.tokens)
    invoice = copy(template.per_invoice[("run_billing", "invoices")][0], mapping)
    ledger = copy(template.per_invoice[("run_inbox", "processed_events")][0], mapping)
    document = copy(template.per_invoice[("run_inbox", "documents")][0], mapping)

    new_invoice = invoice["aggregate_id"]
    assert new_invoice not in (INVOICE, "") and invoice["_id"] == f"{new_invoice}@000001"
    assert document["source_id"] == new_invoice and document["_id"] != DOCUMENT
    assert ledger["_id"] == f"inbox-invoices:{mapping[EVENT]}" != f"inbox-invoices:{EVENT}"
    assert invoice["member_id"] == "m-1"
    assert invoice["structured_reference"] == "+++900/0000/00097+++"
    assert invoice["_outbox"] == [] and invoice["saved_at"] == stored
