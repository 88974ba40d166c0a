"""Issue 19 item 5 against the real Kafka, FerretDB and Mailpit: the invoice e-mail (EI-4)
arrives as multipart/alternative, a text and an HTML part with the same words, the
member's name escaped in the HTML; and the HTML e-mail looks right in Mailpit's page in
a real headless browser (Debian's chromium and chromedriver, installed by
``infra/local/install.sh``): the greeting and the amount are shown, readable in the light
and the dark colour scheme (contrast at least 7:1), screenshots in
``.cache/test-artifacts/``."""

import asyncio
import email
import email.policy
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
from mylm_shared.events import CloudEvent
from notify.adapters.repository import RECIPIENTS
from notify.bootstrap import create_app
from notify.settings import NotifySettings
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from testkit.apps import invoice_issued, member_registered, serving
from testkit.browser import ARTIFACTS, chrome
from testkit.kafka import publish_event
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

HOSTILE = "<b>Jan</b> & <script>alert(1)</script>"


@dataclass
class Notify:
    domain: str
    mailpit: Mailpit
    publish: Any
    register: Any

    async def invoice_email(self, language: str, first_name: str) -> dict[str, Any]:
        """The e-mail of one invoice of 1 234,50 to a new member, as Mailpit shows it."""
        member_id = await self.register(language, first_name)
        await self.publish("invoice.issued", invoice_issued(member_id, total="1234.50"))

        async def mine() -> list[dict[str, Any]]:
            return await self.mailpit.messages_to(f"{member_id[:8]}@{self.domain}")

        (summary,) = await eventually(mine, what="the invoice e-mail in Mailpit")
        return summary


@pytest.fixture
async def notify(platform: Endpoints, run_id: str) -> AsyncIterator[Notify]:
    settings = NotifySettings(**isolated(platform, run_id, "notify"))  # type: ignore[arg-type]
    app = create_app(settings)
    mailpit = Mailpit(platform.mailpit_api)
    async with serving(app):

        async def send(topic: str, event: CloudEvent) -> None:
            await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

        recipients = app.state.runtime.db[RECIPIENTS]

        async def register(language: str, first_name: str) -> str:
            member_id = str(uuid.uuid4())
            member = member_registered(
                member_id,
                email=f"{member_id[:8]}@{run_id}.test",
                language=language,  # type: ignore[arg-type]
                first_name=first_name,
            )
            await send("member.registered", member)

            async def known() -> int:
                return await recipients.count_documents({"_id": member_id})

            await eventually(known, what="notify learns the recipient")
            return member_id

        yield Notify(f"{run_id}.test", mailpit, send, register)
    await mailpit.aclose()


async def test_the_invoice_email_is_multipart_text_and_html_issue_19_item_5(
    notify: Notify,
) -> None:
    """EI-4, issue 19 item 5: multipart/alternative, text first then HTML, both in the
    member's language with the amount; the name is text in the HTML, never markup; the
    subject carries neither name nor amount."""
    summary = await notify.invoice_email("fr", HOSTILE)
    raw = await notify.mailpit.raw(summary["ID"])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    text, html = (part.get_content() for part in parts)  # type: ignore[attr-defined]
    assert text.startswith(f"Bonjour {HOSTILE},")
    assert "1\u202f234,50\u00a0€" in text and "1\u202f234,50\u00a0€" in html
    assert '<html lang="fr"' in html
    assert "&lt;b&gt;Jan&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;," in html
    assert "<script" not in html and "<b>" not in html
    subject = str(message["Subject"])
    assert subject == "Nouvelle facture dans My LM"
    shown = await notify.mailpit.message(summary["ID"])
    assert shown["Text"].strip() == text.strip() and shown["HTML"].strip() == html.strip()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """Debian's headless chromium driven by its chromedriver (testkit.browser), in the
    window the e-mail's screenshots were made with."""
    with chrome(width=900, height=1000) as driver:
        yield driver


def _luminance(rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(v) for v in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _look(driver: webdriver.Chrome, page: str, scheme: str) -> dict[str, Any]:
    """Mailpit's page of the message in ``scheme``: what the e-mail shows, its colours, a
    screenshot of the page (Mailpit's frame around the e-mail) and of the e-mail alone."""
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    driver.get(page)
    frame = WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "iframe#preview-html")
    )
    WebDriverWait(driver, 20).until(lambda d: frame.size["height"] > 200)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    whole = ARTIFACTS / f"notify-invoice-email-mailpit-{scheme}.png"
    assert driver.save_screenshot(str(whole))
    driver.switch_to.frame(frame)
    try:
        body = driver.find_element(By.TAG_NAME, "body")
        heading = driver.find_element(By.TAG_NAME, "h1")
        colours = driver.execute_script(
            "const s = getComputedStyle(document.body);"
            "return [s.color, s.backgroundColor, document.documentElement.lang];"
        )
        seen = {
            "text": body.text.replace("\u00a0", " ").replace("\u202f", " "),
            "heading": heading.text if heading.is_displayed() else "",
            "colours": colours,
        }
    finally:
        driver.switch_to.default_content()
    alone = ARTIFACTS / f"notify-invoice-email-{scheme}.png"
    driver.get(f"{page}.html")  # Mailpit's route of the HTML part alone
    assert driver.save_screenshot(str(alone))
    print(f"screenshots: {whole} {alone}")
    return seen


async def test_the_html_email_looks_right_in_mailpits_page_in_a_headless_browser(
    notify: Notify, platform: Endpoints, browser: webdriver.Chrome
) -> None:
    """Issue 19 item 5 (Done when): Mailpit's page of the invoice e-mail (EI-4) in
    headless chromium shows the heading, the greeting and the amount, in the light and the
    dark colour scheme, each with a contrast of at least 7:1; screenshots saved."""
    summary = await notify.invoice_email("nl", "Jan")
    page = f"{platform.mailpit_api.rstrip('/')}/view/{summary['ID']}"
    for scheme, background in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(18, 18, 18)")):
        seen = await asyncio.to_thread(_look, browser, page, scheme)
        assert seen["heading"] == "Nieuwe factuur in My LM"
        assert "Beste Jan," in seen["text"]
        assert "Bedrag: € 1.234,50" in seen["text"]
        assert "Te betalen vóór: 23/12/2026" in seen["text"]
        assert "Mijn instellingen" in seen["text"]  # EI-4's promise, shown
        colour, shown_background, lang = seen["colours"]
        assert lang == "nl" and shown_background == background
        assert _contrast(colour, shown_background) >= 7
