"""A real headless browser for the tests (issue 19 item 5, issue 20 item 3): Debian's
chromium driven by its chromedriver through Selenium 4 (no browser download), axe-core
(npm, installed by ``infra/local/install.sh`` into ``.cache/platform/axe``) injected into
the page, and screenshots under ``.cache/test-artifacts/``.

A pytest plugin (the root ``conftest.py`` lists it): the fixtures ``browser`` (a desktop
window) and ``phone`` (a 360 px wide mobile screen) save a screenshot and the page's HTML
when the test fails.
"""

import re
import shutil
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / ".cache" / "test-artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
AXE_JS = ROOT / ".cache" / "platform" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1280, 900)
PHONE_WIDTH = 360
# WCAG 2.1 A and AA (issue 20 item 3), plus axe's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_FAILED = pytest.StashKey[bool]()


@contextmanager
def chrome(
    *, width: int = DESKTOP[0], height: int = DESKTOP[1], mobile: bool = False
) -> Iterator[webdriver.Chrome]:
    """Headless chromium; ``mobile``: a phone's screen ``width`` CSS pixels wide (device
    emulation: the page's viewport meta tag counts, as on a phone)."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("chromium and chromium-driver are missing: run `make setup` (install.sh)")
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},{height}")
    if mobile:
        metrics = {"width": width, "height": height, "pixelRatio": 2.0}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def artifact_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:150]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """The whole visible page as ``.cache/test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{artifact_name(name)}.png"
    assert driver.save_screenshot(str(path)), f"no screenshot saved at {path}"
    return path


def axe_violations(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """axe-core's violations of the page shown (WCAG 2.1 A/AA + best practices)."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run `make setup` (install.sh)")
    driver.execute_script(AXE_JS.read_text("utf-8"))
    driver.set_script_timeout(30)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        "  .then(r => done(r.violations), e => done({error: String(e)}));",
        AXE_TAGS,
    )
    if isinstance(result, dict):
        raise AssertionError(f"axe.run failed: {result['error']}")
    violations: list[dict[str, Any]] = result
    return violations


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """One line per violation of impact serious or critical: rule, impact, elements."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def assert_accessible(driver: webdriver.Chrome, page: str) -> None:
    """Issue 20 item 3: a screenshot of the page kept, and no axe-core violation of
    impact serious or critical (each listed when there are)."""
    screenshot(driver, page)
    found = blocking(axe_violations(driver))
    assert not found, f"axe-core on {page} ({driver.current_url}):\n" + "\n".join(found)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


def _on_failure(request: pytest.FixtureRequest, driver: webdriver.Chrome, kind: str) -> None:
    if not request.node.stash.get(_FAILED, False):
        return
    name = artifact_name(f"{request.node.name}-{kind}-failure")
    try:
        shot = screenshot(driver, name)
        (ARTIFACTS / f"{name}.html").write_text(driver.page_source, "utf-8")
        print(f"browser at {driver.current_url}: {shot}")
    except Exception as error:  # the test's own failure is what counts
        print(f"no failure screenshot: {error!r}")


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Iterator[webdriver.Chrome]:
    """Headless chromium in a desktop window; a screenshot when the test fails."""
    with chrome() as driver:
        yield driver
        _on_failure(request, driver, "desktop")


@pytest.fixture
def phone(request: pytest.FixtureRequest) -> Iterator[webdriver.Chrome]:
    """Headless chromium as a phone 360 CSS pixels wide; a screenshot when the test fails."""
    with chrome(width=PHONE_WIDTH, height=740, mobile=True) as driver:
        yield driver
        _on_failure(request, driver, "phone")
