"""The member's settings in the portal (issue 20 item 2 "settings: e-invoicing on/off,
inbox on/off, e-mail categories, notification address"; item 3: in a real browser, nl
and fr, axe on every page, screenshots), against the real services of one isolated run
behind the gateway, and Mailpit's API for the e-mails (polled with a deadline).

Jan (demo.titular, Dutch) changes his notification address with the code e-mailed to
it, switches invoice e-mails off (the next invoice staff issue reaches his inbox but no
e-mail goes out), and switches his inbox off and on with the keyboard; Marie
(demo.other, French) switches e-invoicing off and on and changes her address, a wrong
code first. Page structure (ids): portal-web/README.md.
"""

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from identity.demo import TITULAR, demo_id
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from testkit.browser import PHONE_WIDTH, assert_accessible
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.portal_pages import (
    focused,
    gateway_base,
    log_in_as,
    shown,
    start_portal_slice,
    tab_to,
    wait_for_path,
)
from testkit.slice import Slice, User

# the first test also starts the slice (every service, the portal, the gateway) and the
# e-mail journey waits for three invoices through Kafka: on a busy machine, 10 minutes
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

MARIE = demo_id("member/other")
CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture(scope="module")
def portal(platform: Endpoints) -> Iterator[Slice]:
    with start_portal_slice(platform) as running:
        yield running


@pytest.fixture(scope="module")
def base(portal: Slice) -> str:
    return gateway_base(portal)


def logged_in(driver: WebDriver, base: str, portal: Slice, username: str) -> None:
    """The browser at the home page with a portal session opened at the portal's own
    port (the gateway's per-client login budget is kept for the log-in page's tests)."""
    log_in_as(driver, base, portal, username)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def code_sent_to(mailpit_api: str, address: str) -> str:
    """The code in the (only) e-mail to ``address``, polled in Mailpit with a deadline."""
    mailpit = Mailpit(mailpit_api)
    try:
        (found,) = await eventually(
            lambda: mailpit.messages_to(address),
            until=lambda m: len(m) == 1,
            within=90,
            what="the code",
        )
        text = (await mailpit.message(found["ID"]))["Text"]
    finally:
        await mailpit.aclose()
    match = CODE.search(text)
    assert match, text
    return match[1]


async def emails_to(mailpit_api: str, address: str) -> list[str]:
    """The text of every e-mail to ``address``."""
    mailpit = Mailpit(mailpit_api)
    try:
        found = await mailpit.messages_to(address)
        return [(await mailpit.message(m["ID"]))["Text"] for m in found]
    finally:
        await mailpit.aclose()


async def issue(portal: Slice, key: str, amount: str) -> dict[str, Any]:
    """An invoice staff issue to Jan (billing learns the demo household from
    member.registered: 422 until then)."""
    staff = await User.log_in(portal, "demo.staff")
    try:
        response = await eventually(
            lambda: staff.issue_invoice(TITULAR, key=f"{key}-{portal.run_id}", amount=amount),
            until=lambda r: r.status_code == 201,
            within=120,
            what="the invoice issued",
        )
        issued: dict[str, Any] = response.json()
        return issued
    finally:
        await staff.aclose()


async def in_inbox(portal: Slice, invoice_id: str) -> None:
    staff = await User.log_in(portal, "demo.staff")
    try:
        await eventually(
            lambda: staff.documents(TITULAR),
            until=lambda docs: any(d["source_id"] == invoice_id for d in docs),
            within=120,
            what=f"invoice {invoice_id} in Jan's inbox",
        )
    finally:
        await staff.aclose()


async def api_state(portal: Slice, username: str, module: str, path: str) -> dict[str, Any]:
    user = await User.log_in(portal, username)
    try:
        response = await user.call("GET", module, path)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body
    finally:
        await user.aclose()


def change_address(driver: WebDriver, portal: Slice, address: str, lang: str) -> None:
    """From /settings: ask for a code to ``address``, a wrong code first (the error as
    the member reads it, linked to the field), then the code read from Mailpit."""
    driver.find_element(By.ID, "address-change-link").click()
    wait_for_path(driver, "/settings/address")
    assert_accessible(driver, f"settings-address-{lang}")
    driver.find_element(By.ID, "address-input").send_keys(address)
    driver.find_element(By.ID, "address-send").click()
    wait_for_path(driver, "/settings/address/confirm")
    assert driver.find_element(By.ID, "code-sent").get_attribute("role") == "status"
    assert_accessible(driver, f"settings-confirm-{lang}")
    code = run(code_sent_to(portal.endpoints.mailpit_api, address))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    driver.find_element(By.ID, "code").send_keys(wrong)
    driver.find_element(By.ID, "code-confirm").click()
    error = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "code-error"))
    assert error.get_attribute("role") == "alert"
    expected = {
        "nl": "Deze code is niet juist. U kunt het nog 4 keer proberen.",
        "fr": "Ce code n'est pas correct. Il vous reste 4 essais.",
    }
    assert shown(driver, "#code-error") == expected[lang]
    assert "code-error" in (
        driver.find_element(By.ID, "code").get_attribute("aria-describedby") or ""
    )
    assert_accessible(driver, f"settings-confirm-error-{lang}")
    driver.find_element(By.ID, "code").send_keys(code)
    driver.find_element(By.ID, "code-confirm").click()
    wait_for_path(driver, "/settings")


def test_jan_switches_his_inbox_off_and_on_with_the_keyboard(
    browser: WebDriver, base: str, portal: Slice
) -> None:
    """Issue 20 item 2, IN-3 (in Dutch, keyboard only): off says documents go by post,
    inbox-svc records it; on again."""
    logged_in(browser, base, portal, "demo.titular")
    browser.get(f"{base}/settings")
    wait_for_path(browser, "/settings")
    assert "per post" in shown(browser, "#inbox-switch-off-means")
    tab_to(browser, "#inbox-switch-on", presses=40)
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()  # the radio group's next
    assert focused(browser) == "#inbox-switch-off"
    assert browser.find_element(By.ID, "inbox-switch-off").is_selected()
    tab_to(browser, "#inbox-switch-save", presses=40)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    WebDriverWait(browser, 20).until(lambda d: "notice=inbox-off" in d.current_url)
    assert shown(browser, "#settings-notice") == (
        "Uw inbox staat uit: u krijgt nieuwe documenten per post."
    )
    assert shown(browser, "#inbox-switch-state").startswith("Uw inbox staat uit")
    assert_accessible(browser, "settings-inbox-off-nl")
    path = f"/v1/members/{TITULAR}/inbox-settings"
    assert run(api_state(portal, "demo.titular", "inbox", path))["enabled"] is False

    browser.find_element(By.ID, "inbox-switch-on").click()
    browser.find_element(By.ID, "inbox-switch-save").click()
    WebDriverWait(browser, 20).until(lambda d: "notice=inbox-on" in d.current_url)
    assert shown(browser, "#inbox-switch-state").startswith("Uw inbox staat aan")
    assert run(api_state(portal, "demo.titular", "inbox", path))["enabled"] is True


def test_marie_switches_e_invoicing_off_and_on_and_changes_her_address_in_french(
    browser: WebDriver, base: str, portal: Slice
) -> None:
    """Issue 20 item 2 in French (Marie, demo.other), EI-3: switching e-invoicing off
    says paper invoices by post (the terms), billing records it; on again (EI-2). Her
    notification address changes with the code (a wrong code first, in French)."""
    logged_in(browser, base, portal, "demo.other")
    browser.find_element(By.ID, "nav-settings").click()
    wait_for_path(browser, "/settings")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "sur papier, par la poste" in shown(browser, "#einvoicing-off-means")
    assert "ne peuvent pas être désactivés" in shown(browser, "#emails-always")
    assert_accessible(browser, "settings-settings-fr")

    browser.find_element(By.ID, "einvoicing-off").click()
    browser.find_element(By.ID, "einvoicing-save").click()
    WebDriverWait(browser, 20).until(lambda d: "notice=einvoicing-off" in d.current_url)
    assert shown(browser, "#settings-notice") == (
        "La facturation électronique est désactivée : vous recevrez vos prochaines "
        "factures sur papier, par la poste."
    )
    assert browser.find_element(By.ID, "einvoicing-off").is_selected()
    assert_accessible(browser, "settings-einvoicing-off-fr")
    path = f"/v1/members/{MARIE}/einvoicing"
    state = run(api_state(portal, "demo.other", "billing", path))
    assert state["enabled"] is False and state["changed_by"] == "member"

    browser.find_element(By.ID, "einvoicing-on").click()
    browser.find_element(By.ID, "einvoicing-save").click()
    WebDriverWait(browser, 20).until(lambda d: "notice=einvoicing-on" in d.current_url)
    assert run(api_state(portal, "demo.other", "billing", path))["enabled"] is True

    change_address(browser, portal, f"marie@{portal.email_domain}", "fr")
    assert "Votre nouvelle adresse e-mail est confirmée" in shown(browser, "#settings-notice")


def test_jan_changes_his_address_then_invoice_emails_off_reach_the_inbox_only(
    browser: WebDriver, base: str, portal: Slice
) -> None:
    """Issue 20 item 2, EI-4 (in Dutch): Jan changes his notification address with the
    code e-mailed to the new address (a wrong code first); an invoice is then e-mailed
    there. He switches invoice e-mails off: the next invoice reaches his inbox and no
    e-mail goes out; switched on again, the one after is e-mailed — so the one in
    between, processed before it (same member, same partition), never was."""
    logged_in(browser, base, portal, "demo.titular")
    browser.find_element(By.ID, "nav-settings").click()
    wait_for_path(browser, "/settings")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert shown(browser, "#einvoicing-state").startswith("E-facturatie staat aan")  # EI-2
    assert browser.find_element(By.ID, "email-invoices").is_selected()
    assert "die kunt u niet uitzetten" in shown(browser, "#emails-always")
    assert_accessible(browser, "settings-settings-nl")

    address = f"jan@{portal.email_domain}"
    change_address(browser, portal, address, "nl")
    assert "Uw nieuwe e-mailadres is bevestigd" in shown(browser, "#settings-notice")
    assert shown(browser, "#address-current") == address  # notify GET …/email (EI-4)
    assert not browser.find_elements(By.ID, "address-pending")
    assert_accessible(browser, "settings-address-confirmed-nl")

    first = run(issue(portal, "settings-first", "11.11"))
    emails = run(
        eventually(
            lambda: emails_to(portal.endpoints.mailpit_api, address),
            until=lambda found: len(found) == 2,  # the code, the first invoice
            within=120,
            what="the first invoice's e-mail at the new address",
        )
    )
    assert any(first["structured_reference"] in text for text in emails), emails

    browser.find_element(By.ID, "email-invoices").click()  # untick
    browser.find_element(By.ID, "emails-save").click()
    WebDriverWait(browser, 20).until(lambda d: "notice=emails" in d.current_url)
    assert shown(browser, "#settings-notice") == "Uw keuze voor e-mails is bewaard."
    assert not browser.find_element(By.ID, "email-invoices").is_selected()
    assert browser.find_element(By.ID, "email-claims").is_selected()
    stored = run(api_state(portal, "demo.titular", "notify", f"/v1/members/{TITULAR}/preferences"))
    assert stored["email"] == {"invoices": False, "documents": True, "policy": True, "claims": True}

    quiet = run(issue(portal, "settings-quiet", "22.22"))
    run(in_inbox(portal, quiet["invoice_id"]))

    browser.find_element(By.ID, "email-invoices").click()  # tick again
    browser.find_element(By.ID, "emails-save").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "email-invoices").is_selected()
    )
    last = run(issue(portal, "settings-last", "33.33"))
    emails = run(
        eventually(
            lambda: emails_to(portal.endpoints.mailpit_api, address),
            until=lambda found: any(last["structured_reference"] in t for t in found),
            within=120,
            what="the last invoice's e-mail",
        )
    )
    assert len(emails) == 3, emails  # the code, the first and the last invoice
    assert not any(quiet["structured_reference"] in text for text in emails)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_settings_pages_fit_a_360_px_phone(
    phone: WebDriver, base: str, portal: Slice, language: str
) -> None:
    """Issue 20 items 2 and 3: the settings, address and code pages on a phone 360 CSS
    pixels wide: nothing scrolls sideways, axe finds nothing serious."""
    logged_in(phone, base, portal, "demo.titular")
    for name, address in (
        ("settings", f"/settings?lang={language}"),
        ("address", "/settings/address"),
        ("confirm", "/settings/address/confirm"),
    ):
        phone.get(f"{base}{address}")
        wait_for_path(phone, httpx.URL(address).path)
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        assert_accessible(phone, f"settings-{name}-{language}-phone")
        width, scroll = phone.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == PHONE_WIDTH
        assert scroll <= PHONE_WIDTH, f"{name}: {scroll} px wide on a 360 px screen"
