"""The member portal (issue 20 items 2 and 3) in a real headless browser: Debian's chromium
through Selenium (testkit.browser), at the gateway in front of the portal and the real
services (every service of services.toml, one isolated run) on the real platform.

One slice for the module (starting the services per test would dominate the run); each
test has its own browser. Page structure (ids, labels): portal-web/README.md.
"""

import io
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import zxingcpp
from identity.demo import TITULAR, demo_id
from PIL import Image
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from testkit.browser import PHONE_WIDTH, assert_accessible, screenshot
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.portal_pages import (
    SESSION_COOKIE,
    focused,
    gateway_base,
    log_in_as,
    path_of,
    portal_session,
    shown,
    start_portal_slice,
    tab_to,
    wait_for_path,
)
from testkit.slice import PASSWORD, Slice, User

pytestmark = pytest.mark.e2e

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}")  # a signed token's header.body
AMOUNT = "12.50"


@pytest.fixture(scope="module")
def portal(platform: Endpoints) -> Iterator[Slice]:
    with start_portal_slice(platform) as running:
        yield running


@pytest.fixture(scope="module")
def base(portal: Slice) -> str:
    return gateway_base(portal)


@pytest.fixture(scope="module")
async def invoice(portal: Slice) -> AsyncIterator[dict[str, Any]]:
    """One invoice of € 12,50 staff issue to Jan (demo.titular): billing learns the demo
    household from member.registered, answering 422 until then."""
    staff = await User.log_in(portal, "demo.staff")
    try:

        async def issue() -> httpx.Response:
            return await staff.issue_invoice(TITULAR, key=f"portal-{portal.run_id}", amount=AMOUNT)

        response = await eventually(
            issue, until=lambda r: r.status_code == 201, within=60, what="the invoice issued"
        )
        issued: dict[str, Any] = response.json()
        yield issued
    finally:
        await staff.aclose()


def logged_in(driver: WebDriver, base: str, portal: Slice) -> str:
    """The browser at the home page with a session of Jan's; the session cookie's value."""
    return log_in_as(driver, base, portal, "demo.titular")


def http(base: str, session: str | None = None) -> httpx.Client:
    """A client of the portal outside the browser, holding the browser's session cookie."""
    cookies = {SESSION_COOKIE: session} if session else {}
    return httpx.Client(base_url=base, cookies=cookies, timeout=30, follow_redirects=False)


def test_jan_logs_in_with_the_keyboard_only_and_the_browser_holds_no_token(
    browser: WebDriver, base: str, portal: Slice, invoice: dict[str, Any]
) -> None:
    """Issue 20 items 2 and 3: Jan (demo.titular) logs in at the gateway with TAB and
    ENTER only and sees his name; the session cookie is HttpOnly and SameSite, scripts
    cannot read it, and neither a cookie nor any page holds an access token (BFF: the
    tokens stay server-side)."""
    browser.get(f"{base}/")
    wait_for_path(browser, "/login")
    sources = [browser.page_source]
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert focused(browser) == "#skip-link"  # the first stop: straight to the content
    tab_to(browser, "#username")
    ActionChains(browser).send_keys("demo.titular").perform()
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert focused(browser) == "#password"
    ActionChains(browser).send_keys(PASSWORD, Keys.ENTER).perform()
    wait_for_path(browser, "/")
    assert "Jan Peeters" in shown(browser, "h1")
    assert "€ 12,50" in shown(browser, "#open-total")
    screenshot(browser, "portal-home-after-keyboard-login")
    sources.append(browser.page_source)
    # on to the invoice, still with the keyboard only
    tab_to(browser, "#nav-invoices")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_for_path(browser, "/invoices")
    tab_to(browser, ".invoice-link")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_for_path(browser, f"/invoices/{invoice['invoice_id']}")
    assert "Consultatie" in shown(browser, "#invoice-lines")

    cookie = browser.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] in {"Lax", "Strict"}
    readable = browser.execute_script("return document.cookie")
    assert SESSION_COOKIE not in readable and not JWT.search(readable)
    for name in ("/invoices", f"/invoices/{invoice['invoice_id']}"):
        browser.get(f"{base}{name}")
        sources.append(browser.page_source)
    for each in browser.get_cookies():
        assert not JWT.search(each["value"]), each["name"]
    for source in sources:
        assert not JWT.search(source)
    # the pattern does find identity's access tokens (the checks above can fail)
    issued = httpx.post(
        f"{portal.url('identity')}/v1/sessions",
        json={"username": "demo.staff", "password": PASSWORD},
        timeout=30,
    )
    assert JWT.fullmatch(issued.json()["access_token"].rsplit(".", 1)[0])
    assert browser.execute_script("return window.localStorage.length") == 0
    assert browser.execute_script("return window.sessionStorage.length") == 0


def test_jans_invoice_its_lines_and_its_pdf_in_dutch(
    browser: WebDriver, base: str, portal: Slice, invoice: dict[str, Any]
) -> None:
    """Issue 20 item 2: the staff-issued invoice is among Jan's open invoices with the
    total due as Belgians read it in Dutch (€ 12,50); its page shows its lines and status;
    the PDF comes with the session cookie only (application/pdf, %PDF)."""
    session = logged_in(browser, base, portal)
    browser.find_element(By.ID, "nav-invoices").click()
    wait_for_path(browser, "/invoices")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert shown(browser, "#total-due") == "€ 12,50"
    assert "€ 12,50" in shown(browser, "#invoices-table")
    links = browser.find_elements(By.CSS_SELECTOR, "#invoices-table a.invoice-link")
    (link,) = [a for a in links if invoice["invoice_id"] in (a.get_attribute("href") or "")]
    link.click()
    wait_for_path(browser, f"/invoices/{invoice['invoice_id']}")
    lines = shown(browser, "#invoice-lines")
    assert "Consultatie" in lines and "€ 12,50" in lines
    status = browser.find_element(By.ID, "invoice-status")
    assert status.text == "Open" and "status-open" in (status.get_attribute("class") or "")
    href = browser.find_element(By.ID, "invoice-pdf").get_attribute("href")
    assert href is not None

    with http(base, session) as client:
        pdf = client.get(httpx.URL(href).path)
    assert pdf.status_code == 200, pdf.text[:200]
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF")
    with http(base) as stranger:  # without the session: to the log-in page, no PDF
        refused = stranger.get(httpx.URL(href).path)
    assert refused.status_code == 303 and refused.headers["location"].endswith("/login")


def test_the_language_switch_shows_the_portal_in_french(
    browser: WebDriver, base: str, portal: Slice, invoice: dict[str, Any]
) -> None:
    """Issue 20 item 2: the language switch turns the pages French (lang="fr") and the
    amounts are written as French-speaking Belgians read them (12,50 €)."""
    logged_in(browser, base, portal)
    browser.find_element(By.ID, "lang-fr").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    )
    browser.find_element(By.ID, "nav-invoices").click()
    wait_for_path(browser, "/invoices")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert shown(browser, "#total-due") == "12,50 €"
    assert shown(browser, "#nav-invoices") == "Factures"
    browser.get(f"{base}/invoices/{invoice['invoice_id']}")
    assert shown(browser, "#invoice-status") == "Ouverte"
    assert "12,50 €" in shown(browser, "#invoice-lines")
    screenshot(browser, "portal-invoice-fr")


def test_a_forged_post_without_the_csrf_token_is_refused(
    browser: WebDriver, base: str, portal: Slice, invoice: dict[str, Any]
) -> None:
    """Issue 20 item 2: every form carries a CSRF token; a POST with the member's session
    cookie but without the token (a form forged on another site) is refused with 403 and
    changes nothing: the session still works."""
    session = logged_in(browser, base, portal)
    with http(base, session) as forger:
        forged = forger.post("/logout", data={})
        assert forged.status_code == 403, forged.text[:200]
        from_elsewhere = forger.post(
            "/logout", data={"csrf_token": "guessed"}, headers={"Origin": "https://evil.test"}
        )
        assert from_elsewhere.status_code == 403
        still = forger.get("/invoices")
    assert still.status_code == 200
    assert "12,50" in still.text


def test_a_wrong_password_shows_the_error_in_the_members_language(
    browser: WebDriver, base: str
) -> None:
    """Issue 20 item 2: a wrong password shows the error as the member reads it, in
    French after the switch (Marie, demo.other), announced (role=alert) and linked to
    the fields; no session is opened."""
    browser.get(f"{base}/login")
    browser.find_element(By.ID, "lang-fr").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    )
    browser.find_element(By.ID, "username").send_keys("demo.other")
    browser.find_element(By.ID, "password").send_keys("not-her-password")
    browser.find_element(By.ID, "login-button").click()
    error = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "login-error"))
    assert shown(browser, "#login-error") == "Nom d'utilisateur ou mot de passe incorrect."
    assert error.get_attribute("role") == "alert"
    described = browser.find_element(By.ID, "password").get_attribute("aria-describedby")
    assert "login-error" in (described or "").split()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert path_of(browser) == "/login"
    screenshot(browser, "portal-login-error-fr")


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("screen", ["browser", "phone"])
def test_every_page_passes_axe_on_a_desktop_and_a_360_px_phone(
    screen: str,
    language: str,
    request: pytest.FixtureRequest,
    base: str,
    portal: Slice,
    invoice: dict[str, Any],
) -> None:
    """Issue 20 item 3: axe-core (WCAG 2.1 A/AA) finds no serious or critical violation on
    the log-in, home, invoices and invoice pages, in Dutch and in French, on a desktop
    and on a phone 360 CSS pixels wide, where nothing scrolls sideways; a screenshot of
    each page is kept."""
    driver: WebDriver = request.getfixturevalue(screen)
    pages = {
        "login": f"/login?lang={language}",
        "home": f"/?lang={language}",
        "invoices": "/invoices",
        "invoice": f"/invoices/{invoice['invoice_id']}",
    }
    for name, address in pages.items():
        if name == "home":
            logged_in(driver, base, portal)
        driver.get(f"{base}{address}")
        wait_for_path(driver, httpx.URL(address).path)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        assert_accessible(driver, f"portal-{name}-{language}-{screen}")
        if screen == "phone":
            width, scroll = driver.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]"
            )
            assert width == PHONE_WIDTH, "the page does not declare a device-width viewport"
            assert scroll <= PHONE_WIDTH, f"{name}: {scroll} px wide on a 360 px screen"


def test_after_logout_the_session_cookie_no_longer_works(
    browser: WebDriver, base: str, portal: Slice
) -> None:
    """Issue 20 item 2: logging out (the form's button, with its CSRF token) ends the
    portal session: the old cookie sent again only leads to the log-in page."""
    session = logged_in(browser, base, portal)
    browser.find_element(By.ID, "logout-button").click()
    wait_for_path(browser, "/login")
    with http(base, session) as replay:
        answer = replay.get("/invoices")
    assert answer.status_code == 303
    assert httpx.URL(answer.headers["location"]).path == "/login"
    browser.get(f"{base}/invoices")
    wait_for_path(browser, "/login")


# --- invoices: the payment QR code, paid and overdue, phone width (issue 20 items 2, 3) ---

MARIE = demo_id("member/other")
BANK_ACCOUNT = "BE71096123456769"  # a payer's account (the payment's counterparty)


@pytest.fixture(scope="module")
async def maries_invoices(portal: Slice) -> AsyncIterator[dict[str, dict[str, Any]]]:
    """Marie (demo.other, French) gets two invoices: one overdue (due 01/11/2026, marked
    by billing's dunning job, EI-5) of € 30,00 and one of € 45,10 she paid (a bank
    payment matched by its structured reference)."""
    staff = await User.log_in(portal, "demo.staff")

    async def issue(key: str, amount: str, due: str) -> dict[str, Any]:
        body = {
            "member_id": MARIE,
            "issue_date": "2026-10-01",
            "due_date": due,
            "lines": [{"service_date": "2026-09-15", "description": "Kiné", "amount": amount}],
        }

        async def send() -> httpx.Response:
            headers = {"Idempotency-Key": f"{key}-{portal.run_id}"}
            return await staff.call("POST", "billing", "/v1/invoices", json=body, headers=headers)

        answer = await eventually(
            send, until=lambda r: r.status_code == 201, within=60, what=f"invoice {key}"
        )
        made: dict[str, Any] = answer.json()
        return made

    try:
        overdue = await issue("overdue", "30.00", "2026-11-01")
        paid = await issue("paid", "45.10", "2026-11-30")
        payment = {
            "structured_reference": paid["structured_reference"],
            "amount": "45.10",
            "value_date": "2026-10-20",
            "counterparty_iban": BANK_ACCOUNT,
        }
        settled = await staff.call(
            "POST",
            "billing",
            "/v1/payments",
            json=payment,
            headers={"Idempotency-Key": f"bank-{portal.run_id}"},
        )
        assert settled.status_code in (200, 201), settled.text
        assert settled.json()["outcome"] == "settled"
        run = await staff.call("POST", "billing", "/v1/jobs/dunning")
        assert run.status_code == 202, run.text

        async def state() -> str:
            found = await staff.call("GET", "billing", f"/v1/invoices/{overdue['invoice_id']}")
            return str(found.json()["status"])

        await eventually(state, until=lambda s: s == "overdue", within=30, what="overdue")
        yield {"overdue": overdue, "paid": paid}
    finally:
        await staff.aclose()


def logged_in_as(driver: WebDriver, base: str, portal: Slice, username: str) -> str:
    session = portal_session(portal, username)
    driver.get(f"{base}/login")
    driver.delete_all_cookies()
    driver.add_cookie({"name": SESSION_COOKIE, "value": session, "path": "/", "httpOnly": True})
    driver.get(f"{base}/")
    wait_for_path(driver, "/")
    return session


def scanned_qr(driver: WebDriver) -> list[str]:
    """The payment QR code as the browser shows it (CSP default-src 'self': the image
    from the portal's own origin), photographed and read by zxing-cpp: its EPC069-12
    elements."""
    image = driver.find_element(By.ID, "payment-qr")
    loaded = driver.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", image
    )
    assert loaded, "the QR code image did not load"
    picture = Image.open(io.BytesIO(image.screenshot_as_png))
    (found,) = zxingcpp.read_barcodes(picture)
    return str(found.text).split("\n")


def digits(reference: str) -> str:
    return "".join(c for c in reference if c.isdigit())


def test_jans_open_invoice_shows_the_payment_qr_code_in_dutch(
    browser: WebDriver, base: str, portal: Slice, invoice: dict[str, Any]
) -> None:
    """Issue 20 item 2 (EI-1, MT-1; EPC069-12 as billing builds it for the PDF): Jan's
    open invoice shows how to pay it — the QR code a banking app scans (read back here:
    BCD/002/UTF-8/SCT, the mutuality's IBAN, EUR12.50, the structured communication's 12
    digits in element 10) and the same as text and in the image's alternative text."""
    session = logged_in(browser, base, portal)
    browser.get(f"{base}/invoices/{invoice['invoice_id']}")
    assert shown(browser, "#payment-title") == "Betalen"
    assert shown(browser, "#payment-amount") == "€ 12,50"
    iban = shown(browser, "#payment-iban")
    assert shown(browser, "#payment-reference") == invoice["structured_reference"]
    elements = scanned_qr(browser)
    assert elements[:4] == ["BCD", "002", "1", "SCT"]
    assert elements[4] == shown(browser, "#payment-bic")
    assert elements[5] == shown(browser, "#payment-beneficiary")
    assert elements[6] == iban.replace(" ", "")
    assert elements[7:] == ["EUR12.50", "", digits(invoice["structured_reference"])]
    alt = re.sub(
        r"[\s\u00a0]+", " ", browser.find_element(By.ID, "payment-qr").get_attribute("alt") or ""
    )
    assert "€ 12,50" in alt and iban in alt and invoice["structured_reference"] in alt
    assert_accessible(browser, "invoices-invoice-qr-nl")
    with http(base, session) as client:
        svg = client.get(f"/invoices/{invoice['invoice_id']}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    with http(base) as stranger:
        refused = stranger.get(f"/invoices/{invoice['invoice_id']}/qr.svg")
    assert refused.status_code == 303


def test_marie_sees_her_overdue_and_paid_invoices_in_french(
    browser: WebDriver,
    base: str,
    portal: Slice,
    maries_invoices: dict[str, dict[str, Any]],
) -> None:
    """Issue 20 item 2 (EI-5): Marie (French) sees her overdue invoice among the open ones
    ("En retard", in words), the total due 30,00 €, her paid one in the paid section
    ("Payée"); the overdue invoice's page asks for 30,00 € with the QR code, the paid
    one says it is paid and has no QR code; the home page warns of the overdue one."""
    overdue, paid = maries_invoices["overdue"], maries_invoices["paid"]
    logged_in_as(browser, base, portal, "demo.other")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Factures en retard (1)" in shown(browser, "#home-overdue")
    browser.find_element(By.ID, "nav-invoices").click()
    wait_for_path(browser, "/invoices")
    assert shown(browser, "#total-due") == "30,00 €"
    opened = shown(browser, "#invoices-table")
    assert overdue["invoice_id"] in opened and "En retard" in opened
    assert paid["invoice_id"] not in opened
    settled = shown(browser, "#paid-invoices-table")
    assert paid["invoice_id"] in settled and "Payée" in settled and "45,10 €" in settled
    assert_accessible(browser, "invoices-list-fr")
    browser.find_element(
        By.CSS_SELECTOR, f"a.invoice-link[href$='{overdue['invoice_id']}']"
    ).click()
    wait_for_path(browser, f"/invoices/{overdue['invoice_id']}")
    assert shown(browser, "#invoice-status") == "En retard"
    assert "01/11/2026" in shown(browser, "#invoice-overdue-note")
    assert shown(browser, "#payment-amount") == "30,00 €"
    elements = scanned_qr(browser)
    assert elements[7:] == ["EUR30.00", "", digits(overdue["structured_reference"])]
    assert_accessible(browser, "invoices-invoice-overdue-fr")
    browser.get(f"{base}/invoices/{paid['invoice_id']}")
    assert shown(browser, "#invoice-status") == "Payée"
    assert "payée" in shown(browser, "#invoice-paid-note")
    assert not browser.find_elements(By.ID, "invoice-payment")
    assert_accessible(browser, "invoices-invoice-paid-fr")


@pytest.mark.parametrize("username", ["demo.titular", "demo.other"])
def test_the_core_pages_never_scroll_sideways_on_a_360_px_phone(
    phone: WebDriver,
    base: str,
    portal: Slice,
    invoice: dict[str, Any],
    maries_invoices: dict[str, dict[str, Any]],
    username: str,
) -> None:
    """Issue 20 item 2 ("the core pages work on a 360 px wide screen"), Jan in Dutch and
    Marie in French: on every core page of every area the page itself is never wider
    than the screen (document.documentElement.scrollWidth <= 360); the invoices tables
    scroll inside their own box instead."""
    logged_in_as(phone, base, portal, username)
    own = invoice if username == "demo.titular" else maries_invoices["overdue"]
    pages = [
        "/",
        "/invoices",
        f"/invoices/{own['invoice_id']}",
        "/dossiers",
        "/inbox",
        "/messages",
        "/messages/new",
        "/settings",
        "/policies",
        "/claims",
        "/claims/new",
    ]
    for address in pages:
        phone.get(f"{base}{address}")
        assert path_of(phone) == address, f"{address} → {phone.current_url}"
        width, scroll = phone.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == PHONE_WIDTH
        assert scroll <= PHONE_WIDTH, f"{address}: {scroll} px wide on a 360 px screen"
        if address == "/invoices":
            inner, box = phone.execute_script(
                "const w = document.querySelector('#invoices-table').parentElement;"
                "return [w.scrollWidth, w.clientWidth]"
            )
            assert inner > box, "the invoices table should scroll inside its box"
            screenshot(phone, f"invoices-list-phone-{username}")
