"""The account pages of the member portal (issue 20 item 2 first bullet; item 3: a real
browser, nl and fr, axe on every page, screenshots), against the real services of one
isolated run behind the gateway, a real OpenID provider standing in for CSAM and Mailpit's
API for the codes (polled with a deadline).

- Log in with CSAM (RG-5): the portal drives the redirects as a backend-for-frontend.
  This module runs its own oidc-provider (infra/local/oidc/provider.mjs, the platform's
  package) on a free port whose one redirect URI is the portal's callback through this
  run's gateway, and identity-svc is told so (``CSAM_ISSUER``, ``CSAM_REDIRECT_URI``):
  the platform's provider on :8009 only knows identity's own callback on :8001.
  Jan (demo.titular) logs in in Dutch; Tom (demo.newcomer, no account) in French is told
  he has none, reads the current terms and accepts them.
- Register by code (RG-1..RG-4), report a compromise and reset the password (LF-4): a
  new member of the directory in Dutch, another in French (a wrong code first).

Page structure (ids): portal-web/README.md.
"""

import asyncio
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from infra.local import servers
from testkit.browser import PHONE_WIDTH, assert_accessible
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.portal_pages import gateway_base, shown, start_portal_slice, wait_for_path
from testkit.services import free_port
from testkit.slice import LOG_ROOT, PASSWORD, Slice, User

pytestmark = pytest.mark.e2e

CODE = re.compile(r"\b(\d{6})\b")
NEW_PASSWORD = {"nl": "Lantaarn-Boomgaard-Stil-4817", "fr": "Lanterne-Verger-Calme-4817"}
NEWER_PASSWORD = {"nl": "Haven-Kiezel-Viool-9023", "fr": "Port-Galet-Violette-9023"}


def provider_process(log_dir: Path, port: int, redirect_uri: str) -> subprocess.Popen[bytes]:
    """oidc-provider (the platform's npm package and committed script) for this run only."""
    script = servers.OIDC_DIR / "provider.mjs"
    committed = servers.HERE / "oidc" / "provider.mjs"
    if not (servers.OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is missing: run `make setup` (install.sh)")
    if not script.is_file() or script.read_bytes() != committed.read_bytes():
        shutil.copy2(committed, script)
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "OIDC_PORT": str(port),
        "OIDC_ISSUER": f"http://127.0.0.1:{port}",
        "OIDC_STATE_DIR": str(log_dir / "oidc"),
        "OIDC_REDIRECT_URIS": redirect_uri,
        "NODE_ENV": "development",
    }
    with open(log_dir / "oidc.log", "ab") as log:
        process = subprocess.Popen(
            ["node", str(script)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    discovery = f"http://127.0.0.1:{port}/.well-known/openid-configuration"

    async def answering_or_exited() -> bool:
        if process.poll() is not None:
            return True  # exited: nothing more to wait for
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(discovery)).status_code == 200
        except httpx.HTTPError:
            return False

    try:  # polled with a deadline
        asyncio.run(eventually(answering_or_exited, within=60, interval=0.2, what="the provider"))
        started = process.poll() is None
    except AssertionError:
        started = False
    if not started:
        process.kill()
        pytest.fail(f"the OpenID provider did not start (see {log_dir / 'oidc.log'})")
    return process


@pytest.fixture(scope="module")
def portal(platform: Endpoints) -> Iterator[Slice]:
    run = f"t{uuid.uuid4().hex[:10]}"
    running = Slice(run, platform)
    oidc_port = free_port()
    callback = f"http://127.0.0.1:{running.gateway_port}/csam/callback"
    provider = provider_process(LOG_ROOT / run, oidc_port, callback)
    try:
        identity = {"CSAM_ISSUER": f"http://127.0.0.1:{oidc_port}", "CSAM_REDIRECT_URI": callback}
        with start_portal_slice(platform, running, identity=identity) as started:
            yield started
    finally:
        provider.terminate()
        provider.wait(timeout=20)


@pytest.fixture(scope="module")
def base(portal: Slice) -> str:
    return gateway_base(portal)


def fill(driver: WebDriver, element_id: str, value: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(value)


async def code_in_mail(mailpit_api: str, address: str, count: int) -> str:
    """The code of the ``count``-th e-mail to ``address`` (the newest), polled with a
    deadline in Mailpit."""
    mailpit = Mailpit(mailpit_api)
    try:
        found = await eventually(
            lambda: mailpit.messages_to(address),
            until=lambda m: len(m) >= count,
            within=60,
            what=f"e-mail {count} to {address}",
        )
        newest = max(found, key=lambda m: str(m.get("Created", "")))
        text = (await mailpit.message(newest["ID"]))["Text"]
    finally:
        await mailpit.aclose()
    match = CODE.search(text)
    assert match, text
    return match[1]


def log_in_with_form(driver: WebDriver, base: str, username: str, password: str) -> None:
    driver.get(f"{base}/login")
    fill(driver, "username", username)
    fill(driver, "password", password)
    driver.find_element(By.ID, "login-button").click()
    wait_for_path(driver, "/")


def register_by_code(
    driver: WebDriver, base: str, portal: Slice, member: dict[str, Any], lang: str
) -> str:
    """From the log-in page: the member number → a code by e-mail → the confirm page
    showing the current terms → code, username, password, tick → the account is open.
    In French a wrong code first. The username chosen."""
    driver.get(f"{base}/login?lang={lang}")
    wait_for_path(driver, "/login")
    assert_accessible(driver, f"account-login-links-{lang}")
    driver.find_element(By.ID, "register-link").click()
    wait_for_path(driver, "/register")
    assert_accessible(driver, f"account-register-{lang}")
    fill(driver, "identifier", member["member_number"])
    driver.find_element(By.ID, "channel-email").click()
    driver.find_element(By.ID, "register-request-button").click()
    wait_for_path(driver, "/register/confirm")
    assert driver.find_element(By.ID, "code-sent").get_attribute("role") == "status"
    assert shown(driver, "#terms-version") == "2024-01"  # as identity publishes it
    assert "Ik aanvaard de voorwaarden" in driver.find_element(By.ID, "terms-text").text
    accept = {
        "nl": "Ik aanvaard de voorwaarden (versie 2024-01)",
        "fr": "J'accepte les conditions (version 2024-01)",
    }[lang]
    assert shown(driver, "label[for=accept-terms]") == accept
    assert_accessible(driver, f"account-register-confirm-{lang}")
    code = asyncio.run(code_in_mail(portal.endpoints.mailpit_api, member["email"], 1))
    username = f"{lang}.{portal.run_id}"
    if lang == "fr":  # a wrong code first: the attempts left, on the field
        fill(driver, "code", f"{(int(code) + 1) % 1_000_000:06d}")
        fill(driver, "new-username", username)
        fill(driver, "new-password", NEW_PASSWORD[lang])
        driver.find_element(By.ID, "accept-terms").click()
        driver.find_element(By.ID, "register-confirm-button").click()
        error = WebDriverWait(driver, 20).until(
            lambda d: d.find_element(By.ID, "register-confirm-error")
        )
        assert error.get_attribute("role") == "alert"
        wrong = "Ce code n'est pas correct. Encore 4 essais."
        assert shown(driver, "#register-confirm-error") == wrong
        described = driver.find_element(By.ID, "code").get_attribute("aria-describedby") or ""
        assert "register-confirm-error" in described
        assert_accessible(driver, f"account-register-wrong-code-{lang}")
    fill(driver, "code", code)
    fill(driver, "new-username", username)
    fill(driver, "new-password", NEW_PASSWORD[lang])
    if not driver.find_element(By.ID, "accept-terms").is_selected():
        driver.find_element(By.ID, "accept-terms").click()
    driver.find_element(By.ID, "register-confirm-button").click()
    wait_for_path(driver, "/register/done")
    assert username in shown(driver, "#register-done")
    assert_accessible(driver, f"account-register-done-{lang}")
    return username


def compromise_then_reset(
    driver: WebDriver, base: str, portal: Slice, member: dict[str, Any], username: str, lang: str
) -> None:
    """LF-4: logged in, the member reports a compromise (the page says what happens):
    every session ends, this one too; the old password is refused; a code by e-mail and
    a new password let them in again."""
    log_in_with_form(driver, base, username, NEW_PASSWORD[lang])
    driver.get(f"{base}/?lang={lang}")
    driver.find_element(By.ID, "compromise-link").click()
    wait_for_path(driver, "/compromised")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#compromise-consequences li")) == 3
    assert_accessible(driver, f"account-compromise-{lang}")
    driver.find_element(By.ID, "compromise-button").click()
    wait_for_path(driver, "/reset")
    assert driver.find_element(By.ID, "notice").get_attribute("role") == "status"
    assert_accessible(driver, f"account-reset-{lang}")
    driver.get(f"{base}/")
    wait_for_path(driver, "/login")  # the portal session ended with identity's
    fill(driver, "username", username)
    fill(driver, "password", NEW_PASSWORD[lang])
    driver.find_element(By.ID, "login-button").click()
    error = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "login-error"))
    assert error.get_attribute("role") == "alert"  # 403: a new password by code first
    driver.find_element(By.ID, "reset-link").click()
    wait_for_path(driver, "/reset")
    # by username in Dutch, by member number in French
    fill(driver, "reset-identifier", username if lang == "nl" else member["member_number"])
    driver.find_element(By.ID, "reset-request-button").click()
    wait_for_path(driver, "/reset/confirm")
    assert_accessible(driver, f"account-reset-confirm-{lang}")
    code = asyncio.run(code_in_mail(portal.endpoints.mailpit_api, member["email"], 2))
    fill(driver, "reset-code", code)
    fill(driver, "reset-password", NEWER_PASSWORD[lang])
    driver.find_element(By.ID, "reset-confirm-button").click()
    wait_for_path(driver, "/reset/done")
    assert_accessible(driver, f"account-reset-done-{lang}")
    driver.find_element(By.ID, "to-login").click()
    wait_for_path(driver, "/login")
    fill(driver, "username", username)
    fill(driver, "password", NEWER_PASSWORD[lang])
    driver.find_element(By.ID, "login-button").click()
    wait_for_path(driver, "/")
    assert "Test Member" in shown(driver, "#welcome")


async def directory_member(portal: Slice, local_part: str, language: str) -> dict[str, Any]:
    staff = await User.log_in(portal, "demo.staff")
    try:
        member_id = await staff.register_member(local_part, language)
        entry = await staff.call("GET", "identity", f"/v1/members/{member_id}")
        assert entry.status_code == 200, entry.text
        return {**entry.json(), "email": f"{local_part}@{portal.email_domain}"}
    finally:
        await staff.aclose()


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_register_by_code_report_a_compromise_and_reset_the_password(
    browser: WebDriver, base: str, portal: Slice, lang: str
) -> None:
    """RG-1..RG-4, LF-4, issue 20 items 2 and 3 (nl and fr): a member of the directory
    registers by code read from the e-mail, accepting the terms version identity publishes;
    logs in; reports a compromise (every session ends, the old password is refused);
    sets a new password with a code from the e-mail and logs in with it."""
    member = asyncio.run(directory_member(portal, f"account-{lang}", lang))
    username = register_by_code(browser, base, portal, member, lang)
    compromise_then_reset(browser, base, portal, member, username, lang)


def at_provider_login(driver: WebDriver, base: str, lang: str) -> None:
    driver.get(f"{base}/login?lang={lang}")
    wait_for_path(driver, "/login")
    driver.find_element(By.ID, "csam-login").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.NAME, "login"))


def log_in_at_provider(driver: WebDriver, login: str) -> None:
    driver.find_element(By.NAME, "login").send_keys(login)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_rg5_jan_logs_in_with_csam_in_dutch(browser: WebDriver, base: str) -> None:
    """RG-5, issue 20 item 2: CSAM through the portal (a BFF: its start route, the
    provider, its callback) ends in a portal session like the password log-in; the
    browser never sees a token or identity's binding cookie."""
    at_provider_login(browser, base, "nl")
    assert httpx.URL(browser.current_url).port != httpx.URL(base).port  # at the provider
    log_in_at_provider(browser, "demo.titular")
    wait_for_path(browser, "/")
    assert shown(browser, "#welcome") == "Welkom, Jan Peeters"
    names = {c["name"] for c in browser.get_cookies()}
    assert "mylm_csam_login" not in names and "mylm_session" in names
    assert "eyJ" not in browser.page_source


def test_rg4_rg5_tom_without_an_account_accepts_the_terms_in_french(
    browser: WebDriver, base: str
) -> None:
    """RG-4, RG-5 (demo.newcomer): no My LM account yet → told so in French with what to
    do (accept the current terms shown with their version, or register by code); without
    the tick nothing opens; with it the account opens and he is logged in."""
    at_provider_login(browser, base, "fr")
    log_in_at_provider(browser, "demo.newcomer")
    wait_for_path(browser, "/csam/signup")
    assert shown(browser, "h1") == "Pas encore de compte sur Ma LM"
    assert shown(browser, "#terms-version") == "2024-01"
    assert browser.find_element(By.ID, "register-link").get_attribute("href") == f"{base}/register"
    assert_accessible(browser, "account-csam-signup-fr")
    browser.find_element(By.ID, "csam-signup-button").click()
    error = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "csam-signup-error"))
    assert error.get_attribute("role") == "alert"
    assert_accessible(browser, "account-csam-signup-error-fr")
    browser.find_element(By.ID, "csam-accept-terms").click()
    browser.find_element(By.ID, "csam-signup-button").click()
    wait_for_path(browser, "/")
    assert "Tom Janssens" in shown(browser, "#welcome")


def test_rg5_csam_refusals_are_told_in_the_members_language(browser: WebDriver, base: str) -> None:
    """RG-5: a national register number the mutuality does not know (demo.unknown) →
    told in Dutch to contact the mutuality; a callback not started in this browser (a
    replayed or forged one) opens nothing, in French."""
    at_provider_login(browser, base, "nl")
    log_in_at_provider(browser, "demo.unknown")
    wait_for_path(browser, "/csam/callback")
    assert "Neem contact op met uw ziekenfonds" in shown(browser, "#csam-error")
    assert_accessible(browser, "account-csam-error-nl")
    browser.get(f"{base}/login?lang=fr")
    browser.get(f"{base}/csam/callback?code=forged&state=forged")
    assert shown(browser, "#csam-error").startswith("La connexion avec CSAM n'a pas abouti")
    assert_accessible(browser, "account-csam-error-fr")
    browser.get(f"{base}/")
    wait_for_path(browser, "/login")


def test_the_account_pages_fit_a_phone(phone: WebDriver, base: str) -> None:
    """Issue 20 item 2: the registration and reset pages work on a 360 px wide screen
    (nothing wider than the screen)."""
    pages = (("/register", "account-register-phone-nl"), ("/reset", "account-reset-phone-nl"))
    for path, name in pages:
        phone.get(f"{base}{path}?lang=nl")
        wait_for_path(phone, path)
        width = phone.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{path}: {width}px wide"
        assert_accessible(phone, name)
