"""The portal's inbox and messages (issue 20 items 2 and 3; IN-1, ES-1..ES-3) in a real
headless chromium (Selenium, testkit.browser) at the gateway, in front of the portal and
every real service of one isolated run on the real platform.

Jan reads a letter (an invoice staff issue to him files a document in his inbox; its PDF
is billing's, the inbox's 303 followed by the portal server-side), marks it unread,
archives it and takes it back; sends a message signed in the test with ``openssl cms
-sign -binary -outform DER`` under a test eID CA that this run's inbox-svc trusts
(``SIGNING_TRUST_ANCHORS_FILE``) and sees "Geldig". Marie does it in French and learns
why a signature over a changed message is refused. Pages: portal-web/README.md.
"""

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from identity.demo import TITULAR, demo_id
from inbox.adapters.demo_eid import CA_FILE, JAN_CERTIFICATE, JAN_KEY, ensure_demo_eid
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from testkit.browser import PHONE_WIDTH, assert_accessible
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.portal_pages import (
    SESSION_COOKIE,
    gateway_base,
    log_in_as,
    plain,
    shown,
    start_portal_slice,
    wait_for_path,
)
from testkit.slice import Slice, User

pytestmark = pytest.mark.e2e

MARIE = demo_id("member/other")
MESSAGE = "Beste,\nGraag de terugbetaling van mijn bril.\nJan Peeters\n"


@pytest.fixture(scope="module")
def eid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test eID: a root CA and Jan's signing certificate (non-repudiation) and key."""
    folder = tmp_path_factory.mktemp("eid") / "demo-eid"
    ensure_demo_eid(str(folder))
    return folder


@pytest.fixture(scope="module")
def portal(platform: Endpoints, eid: Path) -> Iterator[Slice]:
    # ES-1: this run's inbox-svc trusts the test CA (and no other)
    trust = {"SIGNING_TRUST_ANCHORS_FILE": str(eid / CA_FILE)}
    with start_portal_slice(platform, inbox=trust) as running:
        yield running


@pytest.fixture(scope="module")
def base(portal: Slice) -> str:
    return gateway_base(portal)


async def _letters(portal: Slice) -> dict[str, dict[str, Any]]:
    """One invoice staff issue to Jan and one to Marie (e-invoicing on: the inbox, EI-1);
    each member's inbox document for it, once inbox-svc filed it."""
    staff = await User.log_in(portal, "demo.staff")
    found: dict[str, dict[str, Any]] = {}
    try:
        for member, username in ((TITULAR, "demo.titular"), (MARIE, "demo.other")):

            async def switch_on(member: str = member) -> httpx.Response:
                path = f"/v1/members/{member}/einvoicing"
                return await staff.call("PUT", "billing", path, json={"enabled": True})

            await eventually(
                switch_on, until=lambda r: r.status_code == 200, within=60, what="e-invoicing on"
            )
            key = f"inbox-{portal.run_id}-{username}"
            issued = await staff.issue_invoice(member, key=key, amount="31.40")
            assert issued.status_code == 201, issued.text
            invoice_id = issued.json()["invoice_id"]
            reader = await User.log_in(portal, username)
            try:

                async def filed(member: str = member, reader: User = reader) -> list[Any]:
                    return await reader.documents(member)

                documents = await eventually(
                    filed,
                    until=lambda items, i=invoice_id: any(d["source_id"] == i for d in items),
                    within=60,
                    what="the invoice in the inbox",
                )
            finally:
                await reader.aclose()
            found[username] = next(d for d in documents if d["source_id"] == invoice_id)
    finally:
        await staff.aclose()
    return found


@pytest.fixture(scope="module")
def letters(portal: Slice) -> dict[str, dict[str, Any]]:
    return asyncio.run(_letters(portal))


def logged_in(driver: WebDriver, base: str, portal: Slice, username: str) -> str:
    """The browser with a portal session of ``username``, opened with the log-in form at
    the portal's own port (the gateway's login budget is the log-in page tests')."""
    return log_in_as(driver, base, portal, username)


def row(driver: WebDriver, document_id: str) -> str:
    return f"#document-{document_id}"


def sign(eid: Path, content: Path) -> Path:
    """A detached CMS signature (DER) over the file's exact bytes, as the eID middleware
    makes one: ``openssl cms -sign -binary -outform DER``."""
    signature = content.with_suffix(".p7s")
    subprocess.run(
        [
            "openssl", "cms", "-sign", "-binary", "-in", str(content),
            "-signer", str(eid / JAN_CERTIFICATE), "-inkey", str(eid / JAN_KEY),
            "-outform", "DER", "-out", str(signature),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return signature


def test_jan_reads_his_letter_marks_it_and_archives_it_in_dutch(
    browser: WebDriver, base: str, portal: Slice, letters: dict[str, dict[str, Any]]
) -> None:
    """Issue 20 item 2 (IN-1): the unread count (also in the menu), the row's title, kind,
    date and state; opening marks it read; the PDF (billing's, behind the inbox's 303)
    downloads; mark unread, archive, the archive view, back to the inbox."""
    letter = letters["demo.titular"]
    doc = letter["document_id"]
    session = logged_in(browser, base, portal, "demo.titular")
    browser.find_element(By.ID, "nav-inbox").click()
    wait_for_path(browser, "/inbox")
    unread = int(shown(browser, "#inbox-unread"))
    assert unread >= 1
    assert shown(browser, "#nav-inbox-unread").startswith(str(unread))
    line = shown(browser, row(browser, doc))
    assert plain(letter["title"]) in line and "Factuur" in line and "Ongelezen" in line
    assert_accessible(browser, "inbox-inbox-nl")

    browser.find_element(By.CSS_SELECTOR, f"{row(browser, doc)} a.document-link").click()
    wait_for_path(browser, f"/inbox/{doc}")
    assert shown(browser, "#document-title") == plain(letter["title"])
    assert shown(browser, "#document-state") == "Gelezen"
    assert shown(browser, "#document-kind") == "Factuur"
    assert_accessible(browser, "inbox-document-nl")
    link = browser.find_element(By.ID, "document-download").get_attribute("href")
    assert link is not None and httpx.URL(link).path == f"/inbox/{doc}/content"
    with httpx.Client(base_url=base, cookies={SESSION_COOKIE: session}, timeout=30) as http:
        pdf = http.get(f"/inbox/{doc}/content")
    assert pdf.status_code == 200, pdf.text[:300]
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF")

    browser.find_element(By.ID, "back-to-inbox").click()
    wait_for_path(browser, "/inbox")
    assert int(shown(browser, "#inbox-unread")) == unread - 1
    assert "Gelezen" in shown(browser, row(browser, doc))
    browser.find_element(By.CSS_SELECTOR, f"{row(browser, doc)} .mark-read-button").click()
    WebDriverWait(browser, 20).until(lambda d: "done=unread" in d.current_url)
    assert shown(browser, "#notice") == "Gemarkeerd als ongelezen."
    assert "Ongelezen" in shown(browser, row(browser, doc))

    browser.find_element(By.CSS_SELECTOR, f"{row(browser, doc)} .archive-button").click()
    WebDriverWait(browser, 20).until(lambda d: "done=archive" in d.current_url)
    assert shown(browser, "#notice") == "Het document staat in uw archief."
    assert not browser.find_elements(By.CSS_SELECTOR, row(browser, doc))
    browser.find_element(By.ID, "filter-archived").click()
    WebDriverWait(browser, 20).until(lambda d: "show=archived" in d.current_url)
    assert "Gearchiveerd" in shown(browser, row(browser, doc))
    assert_accessible(browser, "inbox-archive-nl")
    browser.find_element(By.CSS_SELECTOR, f"{row(browser, doc)} .archive-button").click()
    WebDriverWait(browser, 20).until(lambda d: "done=unarchive" in d.current_url)
    browser.find_element(By.ID, "filter-inbox").click()
    wait_for_path(browser, "/inbox")
    assert browser.find_elements(By.CSS_SELECTOR, row(browser, doc))


def test_jan_sends_a_message_signed_with_his_eid_and_sees_it_valid(
    browser: WebDriver, base: str, portal: Slice, eid: Path, tmp_path: Path
) -> None:
    """ES-1 (issue 19 item 3, issue 20 item 2): subject, content file, an attachment and
    the detached signature uploaded through the portal; inbox-svc verifies it against the
    trusted test CA: "Geldig", signed by Jan."""
    content = tmp_path / "bericht.txt"
    content.write_text(MESSAGE, "utf-8")
    signature = sign(eid, content)
    attachment = tmp_path / "kasticket.txt"
    attachment.write_text("Optiek Peeters: 245,00 EUR\n", "utf-8")
    logged_in(browser, base, portal, "demo.titular")
    browser.get(f"{base}/inbox")
    browser.find_element(By.ID, "write-message").click()
    wait_for_path(browser, "/messages/new")
    assert_accessible(browser, "inbox-message-new-nl")
    browser.find_element(By.ID, "subject").send_keys("Terugbetaling bril")
    browser.find_element(By.ID, "content").send_keys(str(content))
    browser.find_element(By.ID, "attachments").send_keys(str(attachment))
    browser.find_element(By.ID, "signature").send_keys(str(signature))
    browser.find_element(By.ID, "send-message").click()
    wait_for_path(browser, "/messages")
    assert shown(browser, "#message-status") == "Geldig"
    assert "Jan Peeters" in shown(browser, "#message-signer")
    first = shown(browser, "#messages-table tbody tr")
    assert "Terugbetaling bril" in first and "Geldig" in first
    assert_accessible(browser, "inbox-messages-nl")


def test_marie_reads_her_inbox_and_learns_why_her_signature_is_refused_in_french(
    browser: WebDriver,
    base: str,
    portal: Slice,
    letters: dict[str, dict[str, Any]],
    eid: Path,
    tmp_path: Path,
) -> None:
    """Issue 20 item 2 in French (IN-1, ES-1): Marie's inbox, her letter opened and
    archived; a message changed after signing is stored "Refusée", the reason in her
    words; an unsigned one "Non signé"."""
    letter = letters["demo.other"]
    doc = letter["document_id"]
    logged_in(browser, base, portal, "demo.other")
    browser.get(f"{base}/inbox")
    wait_for_path(browser, "/inbox")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert shown(browser, "h1") == "Votre boîte de réception"
    line = shown(browser, row(browser, doc))
    assert plain(letter["title"]) in line and "Facture" in line and "Non lu" in line
    assert_accessible(browser, "inbox-inbox-fr")
    browser.find_element(By.CSS_SELECTOR, f"{row(browser, doc)} a.document-link").click()
    wait_for_path(browser, f"/inbox/{doc}")
    assert shown(browser, "#document-state") == "Lu"
    assert shown(browser, "#document-download") == "Télécharger (PDF)"
    assert_accessible(browser, "inbox-document-fr")
    browser.find_element(By.ID, "archive-button").click()
    WebDriverWait(browser, 20).until(lambda d: "done=archive" in d.current_url)
    assert shown(browser, "#notice") == "Le document est dans vos archives."
    browser.find_element(By.ID, "filter-archived").click()
    WebDriverWait(browser, 20).until(lambda d: "show=archived" in d.current_url)
    assert "Archivé" in shown(browser, row(browser, doc))
    assert_accessible(browser, "inbox-archive-fr")

    content = tmp_path / "message.txt"
    content.write_text("Bonjour,\nmes lunettes.\nMarie Dubois\n", "utf-8")
    signature = sign(eid, content)
    content.write_text("Bonjour,\nmes Lunettes.\nMarie Dubois\n", "utf-8")  # changed after
    browser.get(f"{base}/messages/new")
    assert shown(browser, "h1") == "Nouveau message"
    assert_accessible(browser, "inbox-message-new-fr")
    browser.find_element(By.ID, "subject").send_keys("Mes lunettes")
    browser.find_element(By.ID, "content").send_keys(str(content))
    browser.find_element(By.ID, "signature").send_keys(str(signature))
    browser.find_element(By.ID, "send-message").click()
    wait_for_path(browser, "/messages")
    assert shown(browser, "#message-status") == "Refusée"
    assert shown(browser, "#message-reason") == "Le message a été modifié après avoir été signé."
    assert_accessible(browser, "inbox-messages-fr")

    browser.get(f"{base}/messages/new")
    browser.find_element(By.ID, "subject").send_keys("Une question")
    browser.find_element(By.ID, "content").send_keys(str(content))
    browser.find_element(By.ID, "send-message").click()
    wait_for_path(browser, "/messages")
    assert shown(browser, "#message-status") == "Non signé"
    rows = browser.find_elements(By.CSS_SELECTOR, "#messages-table tbody tr")
    assert len(rows) == 2 and "Refusée" in rows[1].text


def test_the_inbox_and_the_message_form_on_a_360_px_phone(
    phone: WebDriver, base: str, portal: Slice, letters: dict[str, dict[str, Any]]
) -> None:
    """Issue 20 items 2-3: the core pages work on a 360 px screen (nothing scrolls
    sideways), with the keyboard-sized controls; axe on each."""
    logged_in(phone, base, portal, "demo.titular")
    doc = letters["demo.titular"]["document_id"]
    for name, address in {
        "inbox": "/inbox",
        "document": f"/inbox/{doc}",
        "message-new": "/messages/new",
        "messages": "/messages",
    }.items():
        phone.get(f"{base}{address}")
        wait_for_path(phone, address)
        assert_accessible(phone, f"inbox-{name}-nl-phone")
        width, scroll = phone.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == PHONE_WIDTH
        assert scroll <= PHONE_WIDTH, f"{name}: {scroll} px wide on a 360 px screen"
