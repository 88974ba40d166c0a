"""What the member portal's browser tests (tests-e2e/test_portal*.py, issue 20) share: the
module's running slice (services + portal + gateway), reading the pages (text, path,
focus) and a member's session opened at the portal's own port and handed to the browser.

Page structure (ids, labels): portal-web/README.md.
"""

import asyncio
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from testkit.platform import Endpoints, remove_run
from testkit.slice import PASSWORD, Slice

SESSION_COOKIE = "mylm_session"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def start_portal_slice(
    platform: Endpoints, running: Slice | None = None, **start_kwargs: Any
) -> Iterator[Slice]:
    """A slice of its own run (or ``running``, made beforehand when its ports are needed
    first): every service (``start_kwargs`` go to ``Slice.start``), the portal and the
    gateway; stopped and its run's data removed afterwards."""
    if running is None:
        running = Slice(f"t{uuid.uuid4().hex[:10]}", platform)
    try:
        running.start(**start_kwargs)
        running.start_portal()
        running.start_gateway()
        yield running
    finally:
        running.stop()
        asyncio.run(remove_run(platform, running.run_id))


def gateway_base(portal: Slice) -> str:
    """The portal's address through the gateway, without the trailing slash."""
    assert portal.gateway is not None
    return portal.gateway.url.rstrip("/")


def plain(text: str) -> str:
    """Spaces (also the non-breaking ones) made plain."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def shown(driver: WebDriver, css: str) -> str:
    """The text of an element as read, spaces (also the non-breaking ones) made plain."""
    raw: str = driver.find_element(By.CSS_SELECTOR, css).text
    return plain(raw)


def path_of(driver: WebDriver) -> str:
    return httpx.URL(driver.current_url).path


def wait_for_path(driver: WebDriver, path: str, within: float = 20) -> None:
    """Until the browser is at exactly ``path``."""
    WebDriverWait(driver, within).until(lambda d: path_of(d) == path)


def wait_for_path_matching(driver: WebDriver, pattern: str, within: float = 30) -> str:
    """Until the browser's path matches ``pattern`` (a regex, whole path); the path."""
    WebDriverWait(driver, within).until(lambda d: re.fullmatch(pattern, path_of(d)) is not None)
    return path_of(driver)


def csrf_token(html: str) -> str:
    """The one ``csrf_token`` hidden input's value of a page's form."""
    (token,) = CSRF_INPUT.findall(html)
    return str(token)


def portal_session(portal: Slice, username: str = "demo.titular") -> str:
    """A portal session opened with the log-in form at the portal's own port (its CSRF
    token included), not through the gateway: the gateway's per-client login budget
    (burst 5) is kept for the tests of the log-in page itself. The cookie's value."""
    assert portal.portal is not None
    with httpx.Client(base_url=portal.portal.url, timeout=30) as client:
        form = client.get("/login")
        token = csrf_token(form.text)
        answer = client.post(
            "/login", data={"csrf_token": token, "username": username, "password": PASSWORD}
        )
        assert answer.status_code == 303, answer.text[:300]
        return str(client.cookies[SESSION_COOKIE])


def log_in_as(
    driver: WebDriver,
    base: str,
    portal: Slice,
    username: str = "demo.titular",
    language: str | None = None,
) -> str:
    """The browser at the home page with a portal session of ``username`` (see
    ``portal_session``), in ``language`` when given (``?lang=``, checked on ``<html>``);
    the session cookie's value."""
    session = portal_session(portal, username)
    driver.get(f"{base}/login")
    driver.delete_all_cookies()
    driver.add_cookie({"name": SESSION_COOKIE, "value": session, "path": "/", "httpOnly": True})
    driver.get(f"{base}/" if language is None else f"{base}/?lang={language}")
    wait_for_path(driver, "/")
    if language is not None:
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    return session


def focused(driver: WebDriver) -> str:
    """The element with the focus, as ``#id`` or ``.class`` (the first class)."""
    found: str = driver.execute_script(
        "const e = document.activeElement;"
        "return e.id ? '#' + e.id : (e.classList.length ? '.' + e.classList[0] : e.tagName);"
    )
    return found


def tab_to(driver: WebDriver, target: str, presses: int = 30) -> None:
    """Press TAB until ``target`` (``#id`` or ``.class``) has the focus, as a keyboard
    user does."""
    for _ in range(presses):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if focused(driver) == target:
            return
    raise AssertionError(f"{target} never got the focus with TAB")
