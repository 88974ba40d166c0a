"""The portal's row of the authorization matrix (issue 20 item 2; AC-1, the BFF's CSRF
protection): every route ``create_app`` serves — enumerated from the app, so the routes
any area adds later are covered without touching this file — is checked:

* every GET page answers 303 to ``/login`` without a logged-in session, except the
  pages a visitor needs before logging in (``PUBLIC``);
* every POST refuses a form without the session's CSRF token with 403 (logged in), and
  logged out it is refused too (403, or 303 to the log-in page) — nothing is done.

The services' matrix (tests-e2e/test_authorization_matrix.py) sends bearer tokens to the
services' routes; the portal has no bearer route (a session cookie and a form token), so
its row lives here, on the fakes of every area (``Portal`` of test_portal.py).
"""

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from testkit.authz.routes import enumerate_routes

# Before logging in: log in (also with CSAM), register by code, reset a password, report
# a compromise; the probes; the static files. A prefix covers the path and what is
# under it ("/register" → "/register/confirm").
PUBLIC = ("/login", "/healthz", "/readyz", "/static", "/register", "/reset", "/compromised")
PUBLIC_PREFIXES = ("/csam/",)


def _helpers() -> ModuleType:
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


def is_public(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PUBLIC) or path.startswith(
        PUBLIC_PREFIXES
    )


def routes(method: str) -> list[str]:
    """The paths of ``create_app``'s routes for ``method``."""
    app = _helpers().Portal().client.app
    found = [key.split(" ", 1)[1] for key in enumerate_routes(app) if key.startswith(f"{method} ")]
    assert found, f"no {method} route enumerated"
    return found


def concrete(path: str) -> str:
    """A path template with every parameter filled (``/invoices/{invoice_id}.pdf`` →
    ``/invoices/p1.pdf``)."""
    return re.sub(r"\{[^}]+\}", "p1", path)


GETS = routes("GET")
POSTS = routes("POST")


def test_the_enumeration_finds_the_areas_routes() -> None:
    """The check below is not vacuous: the app's own pages are among the enumerated."""
    assert {"/", "/invoices", "/invoices/{invoice_id}", "/login"} <= set(GETS)
    assert {"/login", "/logout", "/logout-everywhere"} <= set(POSTS)


@pytest.mark.parametrize("path", [p for p in GETS if not is_public(p)])
def test_every_page_sends_a_visitor_without_a_session_to_the_login_page(path: str) -> None:
    """Issue 20 item 2 (AC-1): no page but the public ones shows anything without a
    logged-in session: 303 to /login."""
    portal: Any = _helpers().Portal()
    answer = portal.client.get(concrete(path))
    assert answer.status_code == 303, f"GET {path}: {answer.status_code}"
    assert answer.headers["location"] == "/login"


@pytest.mark.parametrize("path", [p for p in GETS if is_public(p)])
def test_the_public_pages_answer_without_a_session(path: str) -> None:
    """The exceptions are meant: they answer a visitor (a page, a redirect to CSAM or
    back to the log-in page with an error), never a server error."""
    portal: Any = _helpers().Portal()
    answer = portal.client.get(concrete(path))
    assert answer.status_code < 500, f"GET {path}: {answer.status_code}"


@pytest.mark.parametrize("path", POSTS)
def test_every_post_without_the_csrf_token_is_refused(path: str) -> None:
    """Issue 20 item 2 (CSRF, synchronizer token): every POST route refuses a form
    without the session's token with 403 — logged in; logged out it is refused as well
    (403, or 303 to the log-in page). A wrong token is refused the same."""
    portal: Any = _helpers().Portal()
    anonymous = portal.client.post(concrete(path), data={"field": "value"})
    assert anonymous.status_code in (303, 403), f"POST {path}: {anonymous.status_code}"
    if anonymous.status_code == 303:
        assert anonymous.headers["location"] == "/login"
    portal.log_in()
    for form in ({"field": "value"}, {"csrf_token": "guessed"}):
        refused = portal.client.post(concrete(path), data=form)
        assert refused.status_code == 403, f"POST {path} {form}: {refused.status_code}"
        assert 'id="error-title"' in refused.text
