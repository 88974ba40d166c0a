"""The portal's invoices (issue 20 item 2; EI-1, EI-5, MT-1) against the fakes: open ones
with the total due and the paid ones, each state in words; an open invoice's payment QR
code (EPC069-12, billing's payload) as an SVG from the portal's own origin with the same
data as text; nothing to pay on a paid invoice."""

import asyncio
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import segno
import zxingcpp
from PIL import Image, ImageDraw

from testkit.fakes.portal import JAN, invoice


def _helpers() -> ModuleType:
    """test_portal.py's ``Portal`` (the app on every area's fakes), loaded once."""
    name = "portal_unit_helpers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("test_portal.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def portal() -> Any:
    running = _helpers().Portal()
    running.log_in()
    return running


def text(response: Any) -> str:
    """A page's HTML with the no-break spaces of amounts and French colons made plain."""
    return re.sub("[\u00a0\u202f]", " ", str(response.text))


def section(html: str, title_id: str) -> str:
    """The HTML of the <section> labelled by ``title_id``."""
    found = re.search(
        rf'<section aria-labelledby="{title_id}">(.*?)</section>', html, flags=re.DOTALL
    )
    assert found, f"no section {title_id}"
    return found[1]


def test_the_invoices_page_shows_open_ones_with_the_total_and_the_paid_ones(
    portal: Any,
) -> None:
    """Issue 20 item 2 (EI-1, EI-5): the open section lists the open and overdue invoices
    with the total still due (€ 1.260,00 = 25,50 + 1.234,50); the paid section lists the
    paid one; every state is written in words, not shown by colour only."""
    page = portal.client.get("/invoices")
    assert page.status_code == 200
    opened = section(text(page), "open-title")
    assert 'id="total-due">€ 1.260,00<' in opened
    assert "INV-1" in opened and "INV-2" in opened and "INV-3" not in opened
    assert '<span class="status status-open">Open</span>' in opened
    assert '<span class="status status-overdue">Vervallen</span>' in opened
    paid = section(text(page), "paid-title")
    assert 'id="paid-invoices-table"' in paid and "INV-3" in paid
    assert '<span class="status status-paid">Betaald</span>' in paid
    assert "INV-1" not in paid
    # the tables scroll inside their box, reachable with the keyboard (a focusable region)
    assert text(page).count('class="table-wrap" role="region"') == 2


def test_the_invoices_page_in_french_and_without_invoices(portal: Any) -> None:
    """Issue 20 item 2: French words and amounts (1 260,00 €); no invoices at all: both
    sections say so."""
    page = portal.client.get("/invoices?lang=fr", follow_redirects=True)
    assert '<html lang="fr">' in text(page)
    assert "Factures payées" in text(page) and "En retard" in text(page)
    assert "Payée" in text(page)
    assert 'id="total-due">1 260,00 €<' in text(page)
    portal.billing.invoices[JAN.member_id] = []
    empty = portal.client.get("/invoices")
    assert 'id="no-invoices"' in text(empty) and 'id="no-paid-invoices"' in text(empty)
    assert "Aucune facture payée" in text(empty)


def test_an_open_invoice_shows_its_payment_qr_code_and_the_same_as_text(portal: Any) -> None:
    """Issue 20 item 2, MT-1: an open invoice's page has the payment block: the QR code as
    an <img> from the portal's own origin (CSP default-src 'self', no data: URI) whose alt
    text names amount, IBAN and structured communication, and the same data readable as
    text (beneficiary, IBAN, BIC, amount, communication); the demo account is said."""
    page = portal.client.get("/invoices/INV-1")
    assert page.status_code == 200
    assert 'id="invoice-payment"' in text(page)
    img = re.search(r'<img id="payment-qr" src="([^"]+)"[^>]*alt="([^"]+)"', text(page))
    assert img, text(page)
    assert img[1] == "/invoices/INV-1/qr.svg"
    assert "€ 25,50" in img[2] and "BE10 0689 9999 0104" in img[2]
    assert "+++090/9337/55493+++" in img[2]
    assert 'id="payment-amount">€ 25,50<' in text(page)
    assert 'id="payment-iban">BE10 0689 9999 0104<' in text(page)
    assert 'id="payment-bic">GKCCBEBB<' in text(page)
    assert 'id="payment-beneficiary">LM Oost-Vlaanderen<' in text(page)
    assert 'id="payment-reference">+++090/9337/55493+++<' in text(page)
    assert 'id="payment-demo"' in text(page)
    assert "data:" not in text(page)


def decode_svg(svg: str) -> str:
    """Read a segno SVG back as a scanner would: its path of horizontal runs
    (``M x y h n m dx dy …``, stroked one module high) painted onto an image, decoded
    by zxing-cpp."""
    scale = float(re.search(r'transform="scale\(([\d.]+)\)"', svg)[1])  # type: ignore[index]
    size = int(float(re.search(r'width="([\d.]+)"', svg)[1]) / scale)  # type: ignore[index]
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg)[1]  # type: ignore[index]
    image = Image.new("L", (size * 8, size * 8), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, *numbers in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path):
        values = [float(n) for n in numbers if n]
        if op == "M":
            x, y = values
        elif op == "m":
            x, y = x + values[0], y + values[1]
        else:
            run = values[0]
            top = y - 0.5
            draw.rectangle([x * 8, top * 8, (x + run) * 8 - 1, (top + 1) * 8 - 1], fill=0)
            x += run
    (found,) = zxingcpp.read_barcodes(image)
    return str(found.text)


def test_the_qr_svg_decodes_to_billings_epc_payload(portal: Any) -> None:
    """Issue 20 item 2 (EPC069-12 as billing builds it): the SVG is served by the portal
    with the session only (image/svg+xml, no script, titled) and, read back by zxing-cpp,
    is exactly billing's payload for what is due: BCD/002/UTF-8/SCT, BIC, the
    mutuality, its IBAN, EUR1234.50, the OGM's 12 digits in element 10; level M."""
    answer = portal.client.get("/invoices/INV-2/qr.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    svg = answer.text
    assert svg.startswith("<svg") and "<script" not in svg.lower()
    assert "<title>Betaal-QR-code (EPC)</title>" in svg
    assert decode_svg(svg).split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "GKCCBEBB",
        "LM Oost-Vlaanderen",
        "BE10068999990104",
        "EUR1234.50",
        "",
        "090933755493",
    ]
    symbol = segno.make_qr(_payload(portal, "INV-2"), error="M", boost_error=False)
    assert symbol.error == "M" and isinstance(symbol.version, int) and symbol.version <= 13
    assert portal.client.get("/invoices/INV-2/qr.svg").content == answer.content
    stranger = _helpers().Portal()  # not logged in: to the log-in page, no image
    refused = stranger.client.get("/invoices/INV-2/qr.svg")
    assert refused.status_code == 303 and refused.headers["location"] == "/login"


def _payload(portal: Any, invoice_id: str) -> str:
    token = next(iter(portal.identity.tokens))
    found = asyncio.run(portal.billing.payment(token, invoice_id))
    assert found is not None
    return str(found.epc_payload)


def test_a_paid_invoice_has_no_qr_code_and_says_it_is_paid(portal: Any) -> None:
    """Issue 20 item 2 (EI-5): a paid invoice shows "Betaald" and a thank-you note, no
    payment block; its QR route is a 404; another member's invoice's QR too."""
    page = portal.client.get("/invoices/INV-3")
    assert 'class="status status-paid">Betaald<' in text(page)
    assert 'id="invoice-paid-note"' in text(page) and 'id="invoice-payment"' not in text(page)
    assert portal.client.get("/invoices/INV-3/qr.svg").status_code == 404
    assert portal.client.get("/invoices/INV-9/qr.svg").status_code == 404


def test_an_overdue_invoice_says_so_in_words_on_its_page_and_at_home(portal: Any) -> None:
    """Issue 20 item 2 (EI-5): overdue in words ("Vervallen", the due date passed), and
    the home page warns of overdue invoices."""
    page = portal.client.get("/invoices/INV-2")
    assert 'class="status status-overdue">Vervallen<' in text(page)
    assert "De vervaldag (02/12/2026) is voorbij." in text(page)
    home = portal.client.get("/")
    assert 'id="home-overdue"' in text(home) and "Vervallen facturen (1)" in text(home)
    portal.billing.invoices[JAN.member_id] = [invoice("INV-1", "open", "25.50")]
    calm = portal.client.get("/")
    assert 'id="home-overdue"' not in text(calm)


def test_the_qr_code_of_a_partly_paid_invoice_is_for_what_is_left(portal: Any) -> None:
    """Issue 20 item 2: after a partial payment the page and the QR ask for the rest."""
    portal.billing.invoices[JAN.member_id] = [
        invoice("INV-4", "open", "5.50", total="25.50"),
    ]
    page = portal.client.get("/invoices/INV-4")
    assert 'id="payment-amount">€ 5,50<' in text(page)
    assert "EUR5.50" in _payload(portal, "INV-4")
