"""Switching dossier between oneself and a dependant (issue 20 item 2, AC-1..AC-6) in the
portal, against the fakes: the dossiers page, the token exchange kept server-side beside
the member's own token, every page on the open dossier, closed dossiers and their reason."""

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from portal.app import COOKIE
from portal.sessions import session_key

from testkit.fakes.portal import EMMA, JAN, LOTTE, WOUT, invoice


def _helpers() -> ModuleType:
    """The unit tests' ``Portal`` helper (test_portal.py), which every area keeps wired."""
    path = Path(__file__).with_name("test_portal.py")
    spec = importlib.util.spec_from_file_location("portal_unit_test_helpers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Portal: Any = _helpers().Portal


@pytest.fixture
def portal() -> Any:
    running = Portal()
    running.billing.invoices[LOTTE.member_id] = [invoice("INV-LOTTE", "open", "7.25", "7.25")]
    running.log_in()
    return running


def stored(portal: Any) -> Any:
    """The portal session kept server-side for the test client's cookie."""
    return portal.store.sessions[session_key(portal.client.cookies[COOKIE])]


def switch(portal: Any, member_id: str) -> Any:
    csrf = portal.csrf("/dossiers")
    return portal.client.post("/dossiers/switch", data={"member_id": member_id, "csrf_token": csrf})


def text(html: str) -> str:
    """The page's text, tags and runs of spaces (also no-break ones) made plain."""
    return re.sub(r"[\s\u00a0]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_dossiers_page_lists_own_and_each_dependant_open_or_not_with_the_reason(
    portal: Any,
) -> None:
    """Issue 20 item 2, AC-1/AC-2/AC-4: Jan's own dossier (open now), Lotte's and Wout's
    with a button each (under 18, AC-2), Emma's not open with the reason in his words
    (18 or more, no grant: AC-4) and no button."""
    page = portal.client.get("/dossiers")
    assert page.status_code == 200
    assert 'id="dossier-own-state"' in page.text  # his own is open
    for member in (LOTTE, WOUT):
        assert f'id="open-{member.member_id}"' in page.text
        assert f"Dossier van {member.first_name} Peeters openen" in page.text
    assert f'id="open-{EMMA.member_id}"' not in page.text
    reason = re.search(rf'id="reason-{EMMA.member_id}">([^<]+)<', page.text)
    assert reason is not None
    assert "Emma Peeters is 18 jaar of ouder" in reason[1]
    assert "Jonger dan 18 jaar: u hebt toegang als titularis." in page.text
    assert 'id="dossier-banner"' in page.text and "U bekijkt uw eigen dossier." in page.text


def test_opening_lottes_dossier_shows_her_invoices_not_jans_and_keeps_tokens_server_side(
    portal: Any,
) -> None:
    """Issue 20 item 2, AC-2: the switch exchanges Jan's token at identity; the portal
    keeps the dependant's access token beside Jan's (his refresh token the only one);
    the invoices, the home page and the banner show Lotte's dossier; no token reaches
    the browser."""
    refresh_before = stored(portal).refresh_token
    answer = switch(portal, LOTTE.member_id)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert portal.identity.exchanges == [LOTTE.member_id]
    session = stored(portal)
    assert session.dossier_member_id == LOTTE.member_id
    assert session.dossier_token in portal.identity.acting
    assert session.access_token != session.dossier_token
    assert session.refresh_token == refresh_before  # still the member's only one

    invoices = portal.client.get("/invoices")
    assert invoices.status_code == 200
    assert "INV-LOTTE" in invoices.text and "INV-1" not in invoices.text
    assert "U bekijkt het dossier van Lotte Peeters." in text(invoices.text)
    home = portal.client.get("/")
    assert "Dossier van Lotte Peeters" in home.text and LOTTE.member_number in home.text
    assert "Gegevens van het dossier" in home.text and "Welkom" not in home.text
    for token in [*portal.identity.tokens, *portal.identity.refresh_tokens]:
        assert token not in home.text and token not in invoices.text
    assert portal.client.get("/invoices/INV-LOTTE").status_code == 200
    assert portal.client.get("/invoices/INV-1").status_code == 404  # Jan's, not hers

    listed = portal.client.get("/dossiers")  # listed with Jan's own token
    assert 'id="own-dossier-button"' in listed.text
    assert f'id="open-{LOTTE.member_id}"' not in listed.text  # open now


def test_switching_back_to_oneself_drops_the_dependants_token(portal: Any) -> None:
    """Issue 20 item 2, AC-1: back to one's own dossier needs no exchange; the exchanged
    token is dropped from the session."""
    switch(portal, LOTTE.member_id)
    answer = switch(portal, JAN.member_id)
    assert answer.status_code == 303
    session = stored(portal)
    assert session.dossier_member_id is None and session.dossier_token is None
    assert portal.identity.exchanges == [LOTTE.member_id]  # no exchange for oneself
    assert "INV-1" in portal.client.get("/invoices").text
    assert "Welkom, Jan Peeters" in portal.client.get("/").text


def test_the_dependants_token_is_re_exchanged_when_it_expires(portal: Any) -> None:
    """Issue 20 item 2: the exchanged token has no refresh token; near its expiry the
    portal exchanges the member's (fresh) token again, server-side."""
    portal.identity.expires_in = 10**6
    portal.identity.dossier_expires_in = 60
    switch(portal, LOTTE.member_id)
    first = stored(portal).dossier_token
    assert "INV-LOTTE" in portal.client.get("/invoices").text
    assert portal.identity.exchanges == [LOTTE.member_id]
    portal.clock.advance(45)  # less than the 30 s margin left
    assert "INV-LOTTE" in portal.client.get("/invoices").text
    assert portal.identity.exchanges == [LOTTE.member_id, LOTTE.member_id]
    assert stored(portal).dossier_token not in (None, first)


def test_a_refused_re_exchange_closes_the_dossier_and_says_why(portal: Any) -> None:
    """Issue 20 item 2, AC-6/AC-3: when identity refuses the exchange again (the 18th
    birthday passed, or Wout revoked), the dossier choice ends and the member is sent to
    the dossiers page, told why, once; his own dossier is shown again."""
    portal.identity.expires_in = 10**6
    portal.identity.dossier_expires_in = 60
    switch(portal, WOUT.member_id)
    portal.identity.close_dossier(WOUT.member_id, reason="AC-3")
    portal.clock.advance(45)
    answer = portal.client.get("/invoices")
    assert answer.status_code == 303 and answer.headers["location"] == "/dossiers"
    assert stored(portal).dossier_member_id is None
    page = portal.client.get("/dossiers")
    notice = re.search(r'id="dossier-closed" role="alert">([^<]+)<', page.text)
    assert notice is not None  # AC-3, the reason identity lists it closed by
    assert "Wout Peeters heeft zich zelf in My LM geregistreerd en uw toegang" in notice[1]
    reason = re.search(rf'id="reason-{WOUT.member_id}">([^<]+)<', page.text)
    assert reason is not None and "uw toegang ingetrokken" in reason[1]  # AC-3
    assert 'id="dossier-closed"' not in portal.client.get("/dossiers").text  # told once
    assert "INV-1" in portal.client.get("/invoices").text


def test_a_dependants_token_refused_by_a_service_closes_the_dossier(portal: Any) -> None:
    """Issue 20 item 2, AC-3: Wout revokes while Jan has his dossier open; billing refuses
    the exchanged token (401, the revocation list) → back to Jan's own dossier, told
    why — Jan stays logged in."""
    switch(portal, WOUT.member_id)
    portal.identity.close_dossier(WOUT.member_id, reason="AC-3")
    answer = portal.client.get("/invoices")
    assert answer.status_code == 303 and answer.headers["location"] == "/dossiers"
    page = portal.client.get("/dossiers")
    assert page.status_code == 200 and 'id="dossier-closed"' in page.text
    assert stored(portal).logged_in and not stored(portal).acting


def test_the_exchange_refused_at_the_switch_tells_why(portal: Any) -> None:
    """Issue 20 item 2, AC-4: asking for a dossier identity refuses (Emma, 20, no grant;
    or one whose access just ended) opens nothing and says why, in French for Marie's
    language choice too."""
    answer = switch(portal, EMMA.member_id)
    assert answer.status_code == 303 and answer.headers["location"] == "/dossiers"
    assert portal.identity.exchanges == []
    assert stored(portal).dossier_member_id is None
    portal.client.get("/dossiers?lang=fr")
    page = portal.client.get("/dossiers")
    notice = re.search(r'id="dossier-closed" role="alert">([^<]+)<', page.text)
    assert notice is not None
    assert "Emma Peeters a 18 ans ou plus\u00a0: vous n&#39;y avez pas accès" in notice[1]
    assert "a 18 ans ou plus\u00a0: vous n&#39;y avez pas accès" in page.text
    assert "Vous consultez votre propre dossier." in text(page.text)


def test_identity_refusing_between_the_list_and_the_switch(portal: Any) -> None:
    """Issue 20 item 2, AC-6: listed as open, refused at the exchange (the birthday came
    in between): nothing opened, the member told."""
    real = portal.identity.exchange

    async def refused(access_token: str, member_id: str) -> Any:
        portal.identity.close_dossier(member_id, reason="AC-4")
        return await real(access_token, member_id)

    portal.identity.exchange = refused
    answer = switch(portal, LOTTE.member_id)
    assert answer.headers["location"] == "/dossiers"
    assert stored(portal).dossier_member_id is None
    assert 'id="dossier-closed"' in portal.client.get("/dossiers").text


def test_the_dossier_choice_ends_at_log_out_and_a_new_log_in_starts_in_ones_own(
    portal: Any,
) -> None:
    """Issue 20 item 2: log-out ends the dossier choice with the session; logging in
    again shows the member's own dossier."""
    switch(portal, LOTTE.member_id)
    csrf = portal.csrf("/")
    assert portal.client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert not any(s.dossier_token for s in portal.store.sessions.values())
    portal.log_in()
    assert stored(portal).dossier_member_id is None
    assert "Welkom, Jan Peeters" in portal.client.get("/").text


def test_log_out_everywhere_uses_the_members_own_token_while_acting(portal: Any) -> None:
    """Issue 20 item 2: an exchanged token cannot end the member's sessions; the portal
    uses the member's own one, and the exchanged ones end with them."""
    switch(portal, LOTTE.member_id)
    csrf = portal.csrf("/")
    answer = portal.client.post("/logout-everywhere", data={"csrf_token": csrf})
    assert answer.status_code == 200
    assert portal.identity.everywhere == [JAN.member_id]
    assert not portal.identity.acting or all(
        t not in portal.identity.tokens for t in portal.identity.acting
    )


def test_a_forged_switch_without_the_csrf_token_is_refused(portal: Any) -> None:
    """Issue 20 item 2: the switch is a form like any other (CSRF)."""
    answer = portal.client.post("/dossiers/switch", data={"member_id": LOTTE.member_id})
    assert answer.status_code == 403
    assert portal.identity.exchanges == []


def test_a_member_without_dependants_sees_only_their_own(portal: Any) -> None:
    """Issue 20 item 2, AC-1: Marie has no dependant; the page says so, in French."""
    portal.client.post("/logout", data={"csrf_token": portal.csrf("/")})
    portal.log_in("demo.marie")
    page = portal.client.get("/dossiers")
    assert '<html lang="fr">' in page.text
    assert 'id="no-dependants"' in page.text
    assert "Il n&#39;y a aucune personne à charge" in page.text


def test_not_logged_in_the_dossiers_page_sends_to_log_in() -> None:
    running = Portal()
    assert running.client.get("/dossiers").headers["location"] == "/login"
