"""Switching dossier in the member portal (issue 20 items 2 and 3, AC-1..AC-6) in a real
headless browser (testkit.browser), at the gateway in front of the portal and the real
services: Jan (demo.titular) opens Lotte's dossier (12, AC-2) by identity's token
exchange and sees her invoice, not his; back to his own; Wout (16, his own account)
revokes Jan's access (AC-3) while it is open, and the portal closes it and tells Jan
why; Emma (20, no grant) is listed as not open with the AC-4 reason identity gives. Each
in Dutch and in French; axe (which keeps a screenshot) on every page shown.

Page structure (ids, labels): portal-web/README.md."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from identity.demo import TITULAR, demo_id
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from testkit.browser import PHONE_WIDTH, assert_accessible
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.portal_pages import (
    gateway_base,
    log_in_as,
    path_of,
    shown,
    start_portal_slice,
    wait_for_path,
)
from testkit.slice import Slice, User

pytestmark = pytest.mark.e2e

CHILD = demo_id("member/child")  # Lotte Peeters, 12, no account
TEEN = demo_id("member/teen")  # Wout Peeters, 16, demo.teen
ADULT = demo_id("member/adult")  # Emma Peeters, 20, demo.adult, no grant (AC-4)
JANS, LOTTES, WOUTS = "12.50", "7.25", "3.10"
SHOWN = {
    "nl": {JANS: "€ 12,50", LOTTES: "€ 7,25", WOUTS: "€ 3,10"},
    "fr": {JANS: "12,50 €", LOTTES: "7,25 €", WOUTS: "3,10 €"},
}
WORDS = {
    "nl": {
        "lotte_home": "Dossier van Lotte Peeters",
        "banner_lotte": "U bekijkt het dossier van Lotte Peeters.",
        "banner_own": "U bekijkt uw eigen dossier.",
        "jan_home": "Welkom, Jan Peeters",
        "closed": "Wout Peeters heeft zich zelf in My LM geregistreerd en uw toegang ingetrokken.",
        "not_open": "Niet toegankelijk",
        "emma_ac4": "Emma Peeters is 18 jaar of ouder: u hebt geen toegang, tenzij Emma "
        "Peeters u die zelf geeft in My LM, met een eigen account.",
    },
    "fr": {
        "lotte_home": "Dossier de Lotte Peeters",
        "banner_lotte": "Vous consultez le dossier de Lotte Peeters.",
        "banner_own": "Vous consultez votre propre dossier.",
        "jan_home": "Bienvenue, Jan Peeters",
        "closed": "Wout Peeters s'est inscrit(e) personnellement dans My LM et a retiré "
        "votre accès.",
        "not_open": "Pas accessible",
        "emma_ac4": "Emma Peeters a 18 ans ou plus : vous n'y avez pas accès, sauf si Emma "
        "Peeters vous le donne personnellement dans My LM, avec son propre compte.",
    },
}


@pytest.fixture(scope="module")
def portal(platform: Endpoints) -> Iterator[Slice]:
    with start_portal_slice(platform) as running:
        yield running


@pytest.fixture(scope="module")
def base(portal: Slice) -> str:
    return gateway_base(portal)


@pytest.fixture(scope="module")
async def invoices(portal: Slice) -> AsyncIterator[dict[str, str]]:
    """One invoice each to Jan (€ 12,50), Lotte (€ 7,25) and Wout (€ 3,10), issued by
    staff (billing learns the demo household from member.registered: 422 until then);
    member id → invoice id."""
    staff = await User.log_in(portal, "demo.staff")
    issued: dict[str, str] = {}
    try:
        for member_id, amount in ((TITULAR, JANS), (CHILD, LOTTES), (TEEN, WOUTS)):

            async def issue(member_id: str = member_id, amount: str = amount) -> httpx.Response:
                key = f"dossiers-{portal.run_id}-{member_id}"
                return await staff.issue_invoice(member_id, key=key, amount=amount)

            response = await eventually(
                issue, until=lambda r: r.status_code == 201, within=60, what="invoice issued"
            )
            issued[member_id] = str(response.json()["invoice_id"])
        yield issued
    finally:
        await staff.aclose()


def log_in(driver: WebDriver, base: str, portal: Slice, language: str) -> None:
    """Jan's portal session opened with the log-in form at the portal's own port (the
    gateway's login budget is kept for the log-in page's own tests), handed to the
    browser, which then chooses the language."""
    log_in_as(driver, base, portal, "demo.titular", language)


def to_dossiers(driver: WebDriver) -> None:
    """Through the link every page's header has, beside whose dossier is open."""
    driver.find_element(By.ID, "dossier-banner-link").click()
    wait_for_path(driver, "/dossiers")


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_jan_opens_lottes_dossier_sees_her_invoice_not_his_and_returns_to_his_own(
    language: str, browser: WebDriver, base: str, portal: Slice, invoices: dict[str, str]
) -> None:
    """Issue 20 item 2, AC-1/AC-2: Jan's dossiers page lists his own (open) and Lotte's
    (under 18: a button); opening hers exchanges his token at identity (server-side);
    the home page and every header say whose dossier is open; the invoices are Lotte's
    (€ 7,25), not Jan's (€ 12,50); back to his own, his invoice again."""
    words, amounts = WORDS[language], SHOWN[language]
    log_in(browser, base, portal, language)
    assert shown(browser, "#dossier-banner").startswith(words["banner_own"])
    to_dossiers(browser)
    assert browser.find_elements(By.ID, "dossier-own-state")
    assert "Lotte Peeters" in shown(browser, f"#dossier-{CHILD}")
    assert_accessible(browser, f"dossiers-list-{language}")

    browser.find_element(By.ID, f"open-{CHILD}").click()
    wait_for_path(browser, "/")
    assert shown(browser, "h1") == words["lotte_home"]
    assert shown(browser, "#dossier-banner").startswith(words["banner_lotte"])
    assert_accessible(browser, f"dossiers-home-lotte-{language}")

    browser.find_element(By.ID, "nav-invoices").click()
    wait_for_path(browser, "/invoices")
    table = shown(browser, "#invoices-table")
    assert amounts[LOTTES] in table and invoices[CHILD] in table
    assert invoices[TITULAR] not in table and amounts[JANS] not in table
    assert shown(browser, "#dossier-banner").startswith(words["banner_lotte"])
    assert_accessible(browser, f"dossiers-invoices-lotte-{language}")
    browser.get(f"{base}/invoices/{invoices[TITULAR]}")  # Jan's own, with Lotte's token
    assert browser.find_elements(By.ID, "error-title")  # not found: not her dossier

    to_dossiers(browser)
    assert_accessible(browser, f"dossiers-list-lotte-open-{language}")
    browser.find_element(By.ID, "own-dossier-button").click()
    wait_for_path(browser, "/")
    assert shown(browser, "h1") == words["jan_home"]
    assert shown(browser, "#dossier-banner").startswith(words["banner_own"])
    browser.find_element(By.ID, "nav-invoices").click()
    wait_for_path(browser, "/invoices")
    table = shown(browser, "#invoices-table")
    assert invoices[TITULAR] in table and invoices[CHILD] not in table


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_jan_sees_emmas_dossier_not_open_with_the_ac4_reason(
    language: str, browser: WebDriver, base: str, portal: Slice, invoices: dict[str, str]
) -> None:
    """Issue 20 item 2, AC-4: Emma (20, her own account, no AC-5 grant) is among Jan's
    dependants, marked not accessible with the reason identity gives (AC-4: 18 or more,
    unless she grants it), and nothing offers to open it; Lotte's stays openable."""
    words = WORDS[language]
    log_in(browser, base, portal, language)
    to_dossiers(browser)
    emma = shown(browser, f"#dossier-{ADULT}")
    assert "Emma Peeters" in emma and words["not_open"] in emma
    assert shown(browser, f"#reason-{ADULT}") == words["emma_ac4"]
    assert "dossier-closed" in (
        browser.find_element(By.ID, f"dossier-{ADULT}").get_attribute("class") or ""
    )
    assert not browser.find_elements(By.ID, f"open-{ADULT}")
    assert not browser.find_elements(By.CSS_SELECTOR, f"#dossier-{ADULT} form")
    assert browser.find_elements(By.ID, f"open-{CHILD}")
    assert_accessible(browser, f"dossiers-emma-ac4-{language}")


async def titular_access(portal: Slice, allowed: bool) -> None:
    """Wout (demo.teen, 16, registered personally) revokes or restores Jan's access to
    his dossier (AC-3) with his own token."""
    wout = await User.log_in(portal, "demo.teen")
    try:
        body = {"titular_may_access": allowed}
        answer = await wout.call("PUT", "identity", "/v1/me/dossier-access", json=body)
        assert answer.status_code == 200, answer.text
    finally:
        await wout.aclose()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_wout_revokes_while_jan_has_his_dossier_open_and_jan_is_told_why(
    language: str, browser: WebDriver, base: str, portal: Slice, invoices: dict[str, str]
) -> None:
    """Issue 20 item 2, AC-3: Jan opens Wout's dossier and sees Wout's invoice; Wout
    revokes Jan's access; the services refuse the exchanged token (revocation list), so
    the portal closes the dossier, shows Jan his own again and tells him why (role=alert);
    Wout is no longer offered. Jan stays logged in."""
    words, amounts = WORDS[language], SHOWN[language]
    log_in(browser, base, portal, language)
    to_dossiers(browser)
    browser.find_element(By.ID, f"open-{TEEN}").click()
    wait_for_path(browser, "/")
    browser.find_element(By.ID, "nav-invoices").click()
    wait_for_path(browser, "/invoices")
    assert amounts[WOUTS] in shown(browser, "#invoices-table")
    asyncio.run(titular_access(portal, allowed=False))
    try:

        def closed(driver: WebDriver) -> bool:
            driver.get(f"{base}/invoices")  # until billing's revocation list has it
            return path_of(driver) == "/dossiers"

        WebDriverWait(browser, 20, poll_frequency=0.5).until(closed)
        notice = browser.find_element(By.ID, "dossier-closed")
        assert notice.get_attribute("role") == "alert"
        assert shown(browser, "#dossier-closed").startswith(words["closed"])
        assert shown(browser, "#dossier-banner").startswith(words["banner_own"])
        assert not browser.find_elements(By.ID, f"open-{TEEN}")  # not offered any more
        assert browser.find_elements(By.ID, f"open-{CHILD}")
        assert_accessible(browser, f"dossiers-closed-{language}")
        browser.find_element(By.ID, "nav-invoices").click()
        wait_for_path(browser, "/invoices")  # his own again, still logged in
        assert invoices[TITULAR] in shown(browser, "#invoices-table")
    finally:
        asyncio.run(titular_access(portal, allowed=True))


def test_a_switch_refused_by_identity_opens_nothing(
    browser: WebDriver, base: str, portal: Slice, invoices: dict[str, Any]
) -> None:
    """Issue 20 item 2, AC-4: Emma (20, no grant) is listed without a button to open
    her dossier; a switch to it posted anyway (the page's own form, its value changed) is
    refused (identity lists it closed, and its exchange refuses it): nothing opens and
    the page says so."""
    log_in(browser, base, portal, "nl")
    to_dossiers(browser)
    adult = demo_id("member/adult")
    assert not browser.find_elements(By.ID, f"open-{adult}")
    field = browser.find_element(By.CSS_SELECTOR, f"#dossier-{CHILD} input[name=member_id]")
    browser.execute_script("arguments[0].value = arguments[1]", field, adult)
    browser.find_element(By.ID, f"open-{CHILD}").click()
    wait_for_path(browser, "/dossiers")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "dossier-closed"))
    assert shown(browser, "#dossier-banner").startswith(WORDS["nl"]["banner_own"])


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_dossiers_page_on_a_360_px_phone(
    language: str, phone: WebDriver, base: str, portal: Slice, invoices: dict[str, str]
) -> None:
    """Issue 20 items 2 and 3: the dossiers page, and a page with Lotte's dossier open
    (the banner), on a phone 360 CSS pixels wide: nothing scrolls sideways, axe passes."""
    log_in(phone, base, portal, language)
    to_dossiers(phone)
    for name in ("list", "lotte-open"):
        if name == "lotte-open":
            phone.find_element(By.ID, f"open-{CHILD}").click()
            wait_for_path(phone, "/")
            phone.get(f"{base}/invoices")
        width, scroll = phone.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == PHONE_WIDTH
        assert scroll <= PHONE_WIDTH, f"{name}: {scroll} px wide on a 360 px screen"
        assert_accessible(phone, f"dossiers-{name}-{language}-phone")
