"""The settings pages (issue 20 item 2: "settings: e-invoicing on/off, inbox on/off,
e-mail categories, notification address") against fakes of billing, inbox and notify:
what switching off means (EI-3 paper invoices, IN-3 documents by post), e-mails per
category with security messages always on (EI-4), the address changed by a code, and
notify's refusals in the member's words."""

import re

import httpx
import pytest
from portal.ports import ServiceProblem
from portal.upstream.billing import EInvoicing
from portal.upstream.notify import EmailSwitches

from testkit.fakes.portal import JAN, MARIE
from testkit.fakes.portal_notify import CODE

from .test_portal import Portal


@pytest.fixture
def portal() -> Portal:
    running = Portal()
    running.log_in()
    return running


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def post(
    portal: Portal, path: str, data: dict[str, str], page: str = "/settings"
) -> httpx.Response:
    return portal.client.post(path, data={**data, "csrf_token": portal.csrf(page)})


def test_the_settings_page_shows_each_switch_as_it_stands_with_labels(portal: Portal) -> None:
    """Issue 20 item 2, EI-2 (on with an account), IN-2 (on), EI-4 (every category on):
    radio buttons and check boxes with labels in fieldsets with a legend."""
    page = portal.client.get("/settings")
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="settings-title">Instellingen</h1>' in html
    assert re.search(r'id="einvoicing-on"[^>]*checked', html)
    assert not re.search(r'id="einvoicing-off"[^>]*checked', html)
    assert re.search(r'id="inbox-switch-on"[^>]*checked', html)
    for category in ("invoices", "documents", "policy", "claims"):
        assert re.search(rf'id="email-{category}"[^>]*checked', html)
        assert f'<label for="email-{category}">' in html
    assert html.count("<legend>") == 3
    assert 'aria-current="page"' in html and 'id="nav-settings"' in html
    assert "E-facturatie staat aan" in text_of(html)


def test_switching_e_invoicing_off_tells_paper_invoices_by_post(portal: Portal) -> None:
    """EI-3 (issue 20 item 2): the page says beforehand what off means (paper by post, as
    the terms' "Duur en opzegging"); the switch goes to billing for the member's own
    dossier, then post/redirect/get with the notice."""
    before = text_of(portal.client.get("/settings").text)
    assert "weer op papier, per post" in before
    answer = post(portal, "/settings/einvoicing", {"einvoicing": "off"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/settings?notice=einvoicing-off#einvoicing"
    assert portal.billing.einvoicing_states[JAN.member_id].enabled is False
    page = portal.client.get(answer.headers["location"])
    shown = text_of(page.text)
    assert "E-facturatie staat uit: u krijgt uw volgende facturen op papier, per post." in shown
    assert 'role="status"' in page.text
    assert shown.count("E-facturatie staat uit") == 1  # the notice stands in for the state
    assert re.search(r'id="einvoicing-off"[^>]*checked', page.text)
    assert "Sinds 02/12/2026." in shown
    post(portal, "/settings/einvoicing", {"einvoicing": "on"})
    assert portal.billing.einvoicing_states[JAN.member_id].enabled is True


def test_switching_the_inbox_off_and_on(portal: Portal) -> None:
    """IN-3 (issue 20 item 2): off → documents by post (said on the page); on again."""
    answer = post(portal, "/settings/inbox", {"inbox": "off"})
    assert answer.headers["location"].startswith("/settings?notice=inbox-off")
    assert portal.inbox.enabled[JAN.member_id] is False
    shown = text_of(portal.client.get("/settings?notice=inbox-off").text)
    assert "Uw inbox staat uit: u krijgt nieuwe documenten per post." in shown
    post(portal, "/settings/inbox", {"inbox": "on"})
    assert portal.inbox.enabled[JAN.member_id] is True


def test_a_box_not_ticked_switches_that_e_mail_category_off_security_stays(
    portal: Portal,
) -> None:
    """EI-4 (issue 20 item 2): invoice e-mails off, the others kept; the page says that
    security messages cannot be switched off."""
    page = portal.client.get("/settings").text
    assert "die kunt u niet uitzetten" in text_of(page)
    answer = post(portal, "/settings/emails", {"documents": "on", "policy": "on", "claims": "on"})
    assert answer.status_code == 303
    assert portal.notify.switches[JAN.member_id] == EmailSwitches(
        invoices=False, documents=True, policy=True, claims=True
    )
    again = portal.client.get("/settings?notice=emails").text
    assert not re.search(r'id="email-invoices"[^>]*checked', again)
    assert re.search(r'id="email-claims"[^>]*checked', again)
    assert "Uw keuze voor e-mails is bewaard." in text_of(again)


def test_a_forged_settings_post_is_refused_and_changes_nothing(portal: Portal) -> None:
    """Issue 20 item 2: every settings form carries the CSRF token; without it, 403."""
    for path, data in (
        ("/settings/einvoicing", {"einvoicing": "off"}),
        ("/settings/inbox", {"inbox": "off"}),
        ("/settings/emails", {}),
        ("/settings/address", {"address": "evil@example.org"}),
        ("/settings/address/confirm", {"code": CODE}),
    ):
        assert portal.client.post(path, data=data).status_code == 403
    assert JAN.member_id not in portal.billing.einvoicing_states
    assert JAN.member_id not in portal.inbox.enabled
    assert JAN.member_id not in portal.notify.switches
    assert not portal.notify.codes_sent


def test_not_logged_in_the_settings_send_to_the_login_page() -> None:
    portal = Portal()
    for path in ("/settings", "/settings/address", "/settings/address/confirm"):
        answer = portal.client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_maintenance_window_shows_that_switch_unavailable_the_others_work(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EI-7 (issue 20 item 2): billing answers 503 during maintenance; the page still
    shows the inbox and e-mails; a switch refused then is said on its form (role=alert)."""

    async def closed(access_token: str, member_id: str) -> EInvoicing:
        raise ServiceProblem(503, "Maintenance")

    with monkeypatch.context() as patched:
        patched.setattr(portal.billing, "einvoicing", closed)
        page = portal.client.get("/settings")
        assert page.status_code == 200
        assert 'id="einvoicing-unavailable"' in page.text
        assert 'id="inbox-switch-form"' in page.text and 'id="emails-form"' in page.text
    portal.billing.einvoicing_failure = ServiceProblem(503, "Maintenance")
    refused = post(portal, "/settings/einvoicing", {"einvoicing": "off"})
    assert refused.status_code == 503
    assert 'id="einvoicing-error" role="alert"' in refused.text
    assert 'aria-describedby="einvoicing-off-means einvoicing-error"' in refused.text
    assert "Deze instelling kunnen we nu niet tonen." in refused.text
    assert JAN.member_id not in portal.billing.einvoicing_states


def test_the_address_changes_with_the_code_sent_to_the_new_address(portal: Portal) -> None:
    """EI-4 ("changeable in My Settings", issue 20 item 2): a code goes to the new
    address; the confirm page takes it; then the notice on the settings page."""
    form = portal.client.get("/settings/address")
    assert '<label for="address-input">Nieuw e-mailadres</label>' in form.text
    answer = post(portal, "/settings/address", {"address": "jan@new.example"}, "/settings/address")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/settings/address/confirm?sent=1"
    assert portal.notify.codes_sent == [("jan@new.example", CODE)]
    confirm = portal.client.get("/settings/address/confirm?sent=1")
    assert "15 minuten geldig" in confirm.text and 'autocomplete="one-time-code"' in confirm.text
    done = post(portal, "/settings/address/confirm", {"code": f" {CODE} "}, "/settings/address")
    assert done.headers["location"] == "/settings?notice=address#address"
    assert portal.notify.addresses[JAN.member_id] == "jan@new.example"
    shown = text_of(portal.client.get("/settings?notice=address").text)
    assert "Uw nieuwe e-mailadres is bevestigd" in shown


def test_an_invalid_address_is_said_on_the_field(portal: Portal) -> None:
    """Issue 20 item 2: the error in the member's words, role=alert, linked to the input;
    the value typed stays."""
    for typed in ("jan-at-example", "jan@nodot"):
        answer = post(portal, "/settings/address", {"address": typed}, "/settings/address")
        assert answer.status_code == 422
        html = answer.text
        assert 'id="address-error" role="alert"' in html
        assert "Dit is geen geldig e-mailadres." in html
        assert 'aria-describedby="address-error"' in html and f'value="{typed}"' in html
    assert not portal.notify.codes_sent


def test_a_code_that_could_not_be_sent_asks_to_try_again(portal: Portal) -> None:
    portal.notify.send_failure = ServiceProblem(503, "could not be e-mailed")
    answer = post(portal, "/settings/address", {"address": "jan@new.example"}, "/settings/address")
    assert answer.status_code == 503
    assert "We konden de code nu niet versturen." in answer.text


def test_wrong_codes_count_down_then_too_many_attempts(portal: Portal) -> None:
    """Issue 20 item 2 (notify: 5 attempts): a wrong code says how many tries are left,
    the last one in words; then too many attempts; nothing changed."""
    post(portal, "/settings/address", {"address": "jan@new.example"}, "/settings/address")
    seen = []
    for _ in range(5):
        answer = post(portal, "/settings/address/confirm", {"code": "000000"}, "/settings/address")
        seen.append((answer.status_code, text_of(answer.text)))
    assert seen[0][0] == 422 and "U kunt het nog 4 keer proberen." in seen[0][1]
    assert "U kunt het nog één keer proberen." in seen[3][1]
    assert seen[4][0] == 410 and "U hebt te vaak een verkeerde code ingegeven." in seen[4][1]
    assert JAN.member_id not in portal.notify.addresses


def test_an_expired_code_and_no_change_waiting(portal: Portal) -> None:
    nothing = post(portal, "/settings/address/confirm", {"code": CODE}, "/settings/address")
    assert nothing.status_code == 409
    assert "Er wacht geen nieuw e-mailadres op een code." in text_of(nothing.text)
    post(portal, "/settings/address", {"address": "jan@new.example"}, "/settings/address")
    portal.notify.pending[JAN.member_id].expired = True
    expired = post(portal, "/settings/address/confirm", {"code": CODE}, "/settings/address")
    assert expired.status_code == 410
    assert "Deze code is verlopen. Vraag een nieuwe code." in text_of(expired.text)
    empty = post(portal, "/settings/address/confirm", {"code": "  "}, "/settings/address")
    assert empty.status_code == 422
    assert 'id="code-error" role="alert"' in empty.text


def test_marie_reads_her_settings_and_the_errors_in_french() -> None:
    """Issue 20 item 2 in French (Marie): the switches' meaning, a wrong code, French
    typography (a no-break space before "?" and ":")."""
    portal = Portal()
    portal.log_in("demo.marie")
    page = portal.client.get("/settings").text
    assert '<html lang="fr">' in page
    assert "Comment souhaitez-vous recevoir vos factures\u00a0?" in page
    assert "sur papier, par la poste" in page
    assert "ne peuvent pas être désactivés" in page
    post(portal, "/settings/address", {"address": "marie@new.example"}, "/settings/address")
    wrong = post(portal, "/settings/address/confirm", {"code": "999999"}, "/settings/address")
    assert "Ce code n'est pas correct. Il vous reste 4 essais." in text_of(wrong.text)
    post(portal, "/settings/emails", {"invoices": "on"})
    assert portal.notify.switches[MARIE.member_id] == EmailSwitches(True, False, False, False)


def test_the_address_in_use_and_a_change_waiting_are_shown(portal: Portal) -> None:
    """EI-4 (issue 20 item 2, notify GET …/email, issue 19 item 4): the settings page
    shows the address e-mails go to now (by default the one on file), a new address
    waiting for its code with the time the code stops counting (Brussels time), and
    once confirmed the new address, chosen by the member, nothing waiting."""
    html = portal.client.get("/settings").text
    assert '<strong id="address-current">jan.peeters@example.org</strong>' in html
    assert "Het e-mailadres dat u bij uw inschrijving gaf." in text_of(html)
    assert 'id="address-pending"' not in html
    post(portal, "/settings/address", {"address": "jan@new.example"}, "/settings/address")
    shown = text_of(portal.client.get("/settings").text)
    assert "Onze e-mails gaan nu naar: jan.peeters@example.org" in shown
    assert (
        "Nieuw e-mailadres dat wacht op de code: jan@new.example. Geef de code in vóór "
        "10:15 op 02/12/2026" in shown  # 09:15 UTC is 10:15 in Brussels in December
    )
    post(portal, "/settings/address/confirm", {"code": CODE}, "/settings/address")
    html = portal.client.get("/settings?notice=address").text
    assert '<strong id="address-current">jan@new.example</strong>' in html
    assert "Het e-mailadres dat u zelf bevestigde." in text_of(html)
    assert 'id="address-pending"' not in html


def test_marie_reads_her_address_and_the_change_waiting_in_french() -> None:
    """EI-4 (issue 20 item 2) in French: the colon and semicolon after a no-break
    space, the time as "10 h 15"."""
    portal = Portal()
    portal.log_in("demo.marie")
    post(portal, "/settings/address", {"address": "marie@new.example"}, "/settings/address")
    html = portal.client.get("/settings").text
    assert "Nos e-mails sont envoyés à\u00a0:" in html
    assert "en attente du code\u00a0: marie@new.example. Saisissez le code avant 10 h 15" in html


def test_an_address_notify_cannot_tell_now_is_shown_unavailable(portal: Portal) -> None:
    """Issue 20 item 2: notify's address cannot be read now (503): its section says so,
    the switches and the link to change the address still work."""
    portal.notify.address_failure = ServiceProblem(503, "down")
    page = portal.client.get("/settings")
    assert page.status_code == 200
    assert 'id="address-unavailable"' in page.text and 'id="address-change-link"' in page.text
    assert 'id="emails-form"' in page.text


def test_too_many_codes_asked_says_when_to_try_again_ei_4() -> None:
    """EI-4 / issue 19 item 4: notify answers 429 with Retry-After past the member's
    limit on code e-mails; the form says, in the member's words and language, how long
    to wait (a minute; or the minutes left of the hour), the address typed kept."""
    for username, wait, expected in (
        ("demo.jan", 40, "U hebt net een code gevraagd. Probeer het over een minuut opnieuw."),
        ("demo.jan", 2950, "U hebt te veel codes gevraagd. Probeer het over 50 minuten opnieuw."),
        ("demo.marie", 2950, "Vous avez demandé trop de codes. Réessayez dans 50 minutes."),
    ):
        portal = Portal()
        portal.log_in(username)
        portal.notify.send_failure = ServiceProblem(429, "Too many codes", wait)
        answer = post(
            portal, "/settings/address", {"address": "me@new.example"}, "/settings/address"
        )
        assert answer.status_code == 429
        assert 'id="address-error" role="alert"' in answer.text
        assert expected in text_of(answer.text) and 'value="me@new.example"' in answer.text
        assert not portal.notify.codes_sent
