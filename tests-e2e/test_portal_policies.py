"""The member's policies in the portal (issue 20 item 2 "policies: the contract, its
insured persons, its conditions PDF, accept a proposal"; item 3: in a real browser, nl
and fr, axe on every page, screenshots), against the real services of one isolated run
behind the gateway.

The policies are made through the APIs as infra/local/demo_policies.py makes them:
staff propose (policy-svc learns the demo members from ``member.registered``, 422 until
then), Marie accepts hers and billing's premium invoice is paid, so it is active (PC-4).
Jan (demo.titular, Dutch) accepts his proposal in the portal — the consent checkbox
first left empty, then ticked with the keyboard; Marie (demo.other, French) reads her
contract and downloads its conditions in French. Page structure: portal-web/README.md.
"""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from identity.demo import TITULAR, demo_id
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from infra.local import demo_policies
from testkit.browser import PHONE_WIDTH, assert_accessible
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.portal_pages import (
    SESSION_COOKIE,
    gateway_base,
    log_in_as,
    path_of,
    shown,
    start_portal_slice,
    wait_for_path,
)
from testkit.slice import PASSWORD, Slice, User

pytestmark = pytest.mark.e2e

MARIE = demo_id("member/other")
BANK_IBAN = "BE71096123456769"


@pytest.fixture(scope="module")
def portal(platform: Endpoints) -> Iterator[Slice]:
    with start_portal_slice(platform) as running:
        yield running


@pytest.fixture(scope="module")
def base(portal: Slice) -> str:
    return gateway_base(portal)


async def propose(staff: User, member_id: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """Staff's proposal (PC-1); policy-svc answers 422 until it knows the member."""

    async def call() -> httpx.Response:
        return await staff.call(
            "POST",
            "policy",
            "/v1/policies",
            json={"policyholder_member_id": member_id, **body},
            headers={"Idempotency-Key": key},
        )

    answer = await eventually(call, until=lambda r: r.status_code == 201, what="the proposal")
    found: dict[str, Any] = answer.json()
    return found


@pytest.fixture(scope="module")
async def jans_proposal(portal: Slice) -> AsyncIterator[dict[str, Any]]:
    """A family proposal with e-protection for Jan, from 2027-01-01, not accepted."""
    staff = await User.log_in(portal, "demo.staff")
    try:
        yield await propose(
            staff,
            TITULAR,
            f"portal-jan-{portal.run_id}",
            {
                "formula": "family",
                "start_date": "2027-01-01",
                "threshold_pct": 5,
                "e_protection": True,
            },
        )
    finally:
        await staff.aclose()


@pytest.fixture(scope="module")
async def maries_contract(portal: Slice) -> AsyncIterator[dict[str, Any]]:
    """Marie's single contract with e-protection from 2026-01-01: accepted by her
    (API), its first premium invoiced by billing and paid by a bank transfer → active."""
    staff = await User.log_in(portal, "demo.staff")
    marie = await User.log_in(portal, "demo.other")
    try:
        proposal = await propose(
            staff,
            MARIE,
            f"portal-marie-{portal.run_id}",
            {
                "formula": "single",
                "start_date": "2026-01-01",
                "threshold_pct": 10,
                "e_protection": True,
            },
        )
        policy_id = proposal["policy_id"]
        accepted = await marie.call("POST", "policy", f"/v1/policies/{policy_id}/accept")
        assert accepted.status_code == 200, accepted.text

        async def premium_invoices() -> list[dict[str, Any]]:
            answer = await staff.call("GET", "billing", f"/v1/members/{MARIE}/invoices")
            assert answer.status_code == 200, answer.text
            items: list[dict[str, Any]] = answer.json()["items"]
            return [i for i in items if i.get("policy_id") == policy_id]

        (invoice,) = await eventually(
            premium_invoices, until=lambda found: len(found) == 1, what="the premium invoice"
        )
        paid = await staff.call(
            "POST",
            "billing",
            "/v1/payments",
            json={
                "structured_reference": invoice["structured_reference"],
                "amount": invoice["outstanding"],
                "value_date": invoice["due_date"],
                "counterparty_iban": BANK_IBAN,
            },
            headers={"Idempotency-Key": f"portal-bank-{portal.run_id}"},
        )
        assert paid.status_code == 201, paid.text

        async def contract() -> dict[str, Any]:
            answer = await marie.call("GET", "policy", f"/v1/policies/{policy_id}")
            found: dict[str, Any] = answer.json()
            return found

        yield await eventually(
            contract, until=lambda p: p["status"] == "active", what="the contract active"
        )
    finally:
        await staff.aclose()
        await marie.aclose()


def logged_in(driver: WebDriver, base: str, portal: Slice, username: str) -> str:
    """The browser at the home page with a portal session opened at the portal's own
    port (the gateway's per-client login budget is kept for the log-in page's tests);
    the session cookie's value."""
    return log_in_as(driver, base, portal, username)


def in_language(driver: WebDriver, language: str) -> None:
    if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != language:
        driver.find_element(By.ID, f"lang-{language}").click()
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    )


def test_jan_reads_his_proposal_in_dutch_and_is_told_to_tick_the_consent(
    browser: WebDriver, base: str, portal: Slice, jans_proposal: dict[str, Any]
) -> None:
    """Issue 20 item 2 (PC-1, PC-4, PC-8): Jan finds the proposal among his policies (its
    state, start, yearly premium, covers incl. e-protection), reads it, and is told to
    tick the consent when he accepts without (role=alert, linked to the checkbox)."""
    policy_id = jans_proposal["policy_id"]
    logged_in(browser, base, portal, "demo.titular")
    in_language(browser, "nl")
    browser.find_element(By.ID, "nav-policies").click()
    wait_for_path(browser, "/policies")
    row = shown(browser, f"#policy-row-{policy_id}")
    assert "Voorstel" in row and "01/01/2027" in row
    assert "Rechtsbijstand e-protection" in row
    assert "op uw aanvaarding wacht" in shown(browser, "#proposal-waiting")
    assert_accessible(browser, "policies-list-nl")

    browser.find_element(By.CSS_SELECTOR, f'a.policy-link[href="/policies/{policy_id}"]').click()
    wait_for_path(browser, f"/policies/{policy_id}")
    assert shown(browser, "#policy-title") == f"Voorstel {policy_id}"
    assert shown(browser, "#policy-holder") == "Jan Peeters"
    assert shown(browser, "#policy-threshold") == "5 % blijvende ongeschiktheid"
    assert "Verzekeringnemer" in shown(browser, "#insured-persons")
    assert "Rechtsbijstand e-protection" in shown(browser, "#policy-covers")
    assert "vervalt op 01/01/2027" in shown(browser, "#no-terms")
    assert_accessible(browser, "policy-proposal-nl")

    browser.find_element(By.ID, "accept-button").click()  # the consent not ticked
    error = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "consent-error"))
    assert error.get_attribute("role") == "alert"
    assert "Vink aan" in error.text
    consent = browser.find_element(By.ID, "accept-consent")
    assert consent.get_attribute("aria-describedby") == "consent-error"
    summary = browser.find_element(By.CSS_SELECTOR, "#consent-summary a")
    assert (summary.get_attribute("href") or "").endswith("#accept-consent")
    browser.execute_script("arguments[0].scrollIntoView()", error)  # the form in the shot
    assert_accessible(browser, "policy-proposal-consent-error-nl")


def test_jan_ticks_the_consent_with_the_keyboard_and_accepts_in_dutch(
    browser: WebDriver, base: str, portal: Slice, jans_proposal: dict[str, Any]
) -> None:
    """Issue 20 item 2 (PC-1, PC-4, PC-8): with the keyboard only Jan ticks the consent and
    accepts; the signed contract waits for its first premium (post/redirect/get with a
    notice) and policy-svc holds it signed, with the proposal version he was shown."""
    policy_id = jans_proposal["policy_id"]
    logged_in(browser, base, portal, "demo.titular")
    in_language(browser, "nl")
    browser.get(f"{base}/policies/{policy_id}")
    wait_for_path(browser, f"/policies/{policy_id}")
    consent = browser.find_element(By.ID, "accept-consent")
    consent.send_keys(Keys.SPACE)  # the keyboard ticks it
    assert consent.is_selected()
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "accept-button"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    WebDriverWait(browser, 20).until(lambda d: "notice=accepted" in d.current_url)
    assert path_of(browser) == f"/policies/{policy_id}"
    assert "U hebt het voorstel aanvaard" in shown(browser, "#policy-notice")
    assert shown(browser, "#policy-status") == "Wacht op de eerste premie"
    assert not browser.find_elements(By.ID, "accept-form")
    assert_accessible(browser, "policy-accepted-nl")

    with httpx.Client(timeout=30) as client:
        token = client.post(
            f"{portal.url('identity')}/v1/sessions",
            json={"username": "demo.titular", "password": PASSWORD},
        ).json()["access_token"]
        held = client.get(
            f"{portal.url('policy')}/v1/policies/{policy_id}",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert held["status"] == "awaiting_first_premium" and held["signed_on"] is not None
    # The portal sent the proposal version Jan was shown; policy-svc keeps it, when and
    # which account signed (issue 20 item 2, PC-1).
    assert held["accepted_version"] == jans_proposal["proposal_version"]
    assert held["accepted_by"] and held["accepted_at"]
    assert held["policyholder_name"] and held["cover_amounts"]


def test_marie_reads_her_contract_and_its_conditions_in_french(
    browser: WebDriver, base: str, portal: Slice, maries_contract: dict[str, Any]
) -> None:
    """Issue 20 item 2 (PC-1, PC-2, PC-4, PC-8): Marie's active contract in French — the
    policyholder, herself insured as policyholder, e-protection among the covers, the
    yearly premium as French-speaking Belgians read it and its first term paid — and the
    special conditions PDF streamed in French with her session only."""
    policy_id = maries_contract["policy_id"]
    total = maries_contract["premium"]["total"].replace(".", ",")
    session = logged_in(browser, base, portal, "demo.other")
    in_language(browser, "fr")
    browser.find_element(By.ID, "nav-policies").click()
    wait_for_path(browser, "/policies")
    row = shown(browser, f"#policy-row-{policy_id}")
    assert "Active" in row and "01/01/2026" in row and f"{total} €" in row
    assert "Protection juridique e-protection" in row
    assert_accessible(browser, "policies-list-fr")

    browser.find_element(By.CSS_SELECTOR, f'a.policy-link[href="/policies/{policy_id}"]').click()
    wait_for_path(browser, f"/policies/{policy_id}")
    assert shown(browser, "#policy-title") == f"Assurance {policy_id}"
    assert shown(browser, "#policy-status") == "Active"
    assert shown(browser, "#policy-holder") == "Marie Dubois"
    assert shown(browser, "#policy-formula") == "Single (le preneur d'assurance)"
    assert shown(browser, "#policy-threshold") == "10 % d'invalidité permanente"
    assert "Marie Dubois Preneur d'assurance" in shown(browser, "#insured-persons")
    covers = shown(browser, "#policy-covers")
    assert "Protection juridique e-protection" in covers and "5 000,00 €" in covers
    assert f"{total} €" in shown(browser, "#policy-premium-total")
    assert "Payée le" in shown(browser, "#premium-terms")
    assert_accessible(browser, "policy-contract-fr")

    href = browser.find_element(By.ID, "policy-conditions").get_attribute("href")
    assert href is not None and href.endswith(f"/policies/{policy_id}/conditions.pdf")
    with httpx.Client(base_url=base, cookies={SESSION_COOKIE: session}, timeout=30) as client:
        pdf = client.get(httpx.URL(href).path)
    assert pdf.status_code == 200, pdf.text[:200]
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert f"conditions-{policy_id}-fr.pdf" in pdf.headers["content-disposition"]
    with httpx.Client(base_url=base, timeout=30) as stranger:
        refused = stranger.get(httpx.URL(href).path)
    assert refused.status_code == 303 and refused.headers["location"].endswith("/login")


def test_jan_cannot_open_maries_contract(
    browser: WebDriver, base: str, portal: Slice, maries_contract: dict[str, Any]
) -> None:
    """AC-1: another member's contract and its PDF are "not found" (nothing leaks)."""
    session = logged_in(browser, base, portal, "demo.titular")
    policy_id = maries_contract["policy_id"]
    browser.get(f"{base}/policies/{policy_id}")
    assert browser.find_element(By.ID, "error-title").text == "Niet gevonden"
    with httpx.Client(base_url=base, cookies={SESSION_COOKIE: session}, timeout=30) as client:
        assert client.get(f"/policies/{policy_id}/conditions.pdf").status_code == 404


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_policy_pages_on_a_360_px_phone(
    phone: WebDriver, language: str, base: str, portal: Slice, maries_contract: dict[str, Any]
) -> None:
    """Issue 20 item 2/3: the list and the contract on a phone 360 CSS pixels wide, in
    Dutch and in French: nothing scrolls sideways, axe finds nothing serious."""
    logged_in(phone, base, portal, "demo.other")
    in_language(phone, language)
    for name, address in {
        "list": "/policies",
        "contract": f"/policies/{maries_contract['policy_id']}",
    }.items():
        phone.get(f"{base}{address}")
        wait_for_path(phone, address)
        assert_accessible(phone, f"policies-{name}-{language}-phone")
        width, scroll = phone.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == PHONE_WIDTH
        assert scroll <= PHONE_WIDTH, f"{name}: {scroll} px wide on a 360 px screen"


def test_the_demo_policies_of_make_run_give_jan_and_marie_e_protection_and_marie_a_proposal(
    browser: WebDriver, base: str, portal: Slice
) -> None:
    """Issue 20 (by hand with ``make run``): infra/local/demo_policies.py, run against this
    slice, gives Jan an active family contract with e-protection, Marie an active single
    one with e-protection from 2026-01-01 (past LA-2's waiting month, first premium paid:
    PC-4) for her e-merchant claim (LA-8), and a proposal Marie finds in the portal."""
    urls = demo_policies.Urls(
        identity=portal.url("identity"), billing=portal.url("billing"), policy=portal.url("policy")
    )
    seeded = demo_policies.seed(urls, within=120)
    assert seeded == demo_policies.seed(urls, within=120)  # idempotent: every `make run`
    family, single, proposal = seeded.values()
    with httpx.Client(timeout=30) as client:

        def policy(username: str, policy_id: str) -> dict[str, Any]:
            token = client.post(
                f"{portal.url('identity')}/v1/sessions",
                json={"username": username, "password": PASSWORD},
            ).json()["access_token"]
            answer = client.get(
                f"{portal.url('policy')}/v1/policies/{policy_id}",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answer.status_code == 200, answer.text
            found: dict[str, Any] = answer.json()
            return found

        jans = policy("demo.titular", family)
        maries = policy("demo.other", single)
        offered = policy("demo.other", proposal)
    assert jans["status"] == "active" and "e_protection" in jans["covers"]
    assert maries["status"] == "active" and "e_protection" in maries["covers"]
    assert maries["start_date"] == "2026-01-01" and maries["premium_terms"][0]["paid_on"]
    assert offered["status"] == "proposed" and offered["start_date"] > "2026-12-31"

    logged_in(browser, base, portal, "demo.other")
    in_language(browser, "fr")
    browser.get(f"{base}/policies")
    assert "Proposition" in shown(browser, f"#policy-row-{proposal}")
    assert "Active" in shown(browser, f"#policy-row-{single}")
