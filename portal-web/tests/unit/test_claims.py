"""The portal's claim pages (issue 20 item 2; CL-1, CL-2, LA-8, PA-8/LA-6 offers) against
the fakes: the list with the next deadline, declaring an e-merchant claim with a photo,
errors on the right field in the member's words, evidence, accepting an offer with an
IBAN (and the fresh login claims-svc asks for, issue 15 item 7), nl and fr."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from testkit.fakes.portal import JAN, MARIE, PASSWORD
from testkit.fakes.portal_claims import TODAY
from testkit.fakes.portal_inbox import document
from testkit.fakes.portal_policy import family_policy

from .test_portal import Portal

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
POLICY = family_policy("pol-jan")


@pytest.fixture
def portal() -> Portal:
    portal = Portal()
    portal.policy.held[JAN.member_id] = [POLICY]
    portal.policy.held[MARIE.member_id] = [
        replace(
            POLICY, policy_id="pol-marie", policyholder_member_id=MARIE.member_id, formula="single"
        )
    ]
    return portal


def goods(portal: Portal, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": portal.csrf("/claims/new?policy=pol-jan&cover=e_merchant_goods"),
        "idempotency_key": "form-1",
        "policy": "pol-jan",
        "cover": "e_merchant_goods",
        "event_date": "2026-11-27",
        "price": "1.234,50",
        "seller_country": "BE",
        "bought_online": "on",
        "seller_professional": "on",
        "new": "on",
        "transportable": "on",
        "defect": "not_delivered",
        "promised_delivery_on": "2026-11-22",
        "delivered_on": "",
        "delivery_method": "tracked_post",
        "delivery_country": "BE",
    }
    form.update(changes)
    return form


def declared(portal: Portal, photo: bytes | None = PNG) -> str:
    files = {"evidence": ("parcel.png", photo, "image/png")} if photo else None
    response = portal.client.post("/claims/new", data=goods(portal), files=files)
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/claims/([^?]+)\?done=declared", response.headers["location"])
    assert found, response.headers["location"]
    return found[1]


def field_error(page: str, input_id: str) -> str:
    """The error text linked to an input by aria-describedby (and role=alert)."""
    tag = re.search(rf'<(?:input|select|fieldset)[^>]*id="{input_id}"[^>]*>', page)
    assert tag, f"no #{input_id}"
    described = re.search(r'aria-describedby="([^"]+)"', tag[0])
    assert described and f"{input_id}-error" in described[1].split(), tag[0]
    error = re.search(rf'<p class="field-error" id="{input_id}-error" role="alert">([^<]+)<', page)
    assert error, page
    return error[1]


def test_the_claim_pages_need_a_login(portal: Portal) -> None:
    for path in ("/claims", "/claims/new", "/claims/claim-1"):
        response = portal.client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_no_claims_yet_and_the_way_to_declare_one(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get("/claims")
    assert page.status_code == 200
    assert 'id="no-claims"' in page.text and 'href="/claims/new"' in page.text


def test_choosing_the_contract_and_the_cover_then_the_facts_form(portal: Portal) -> None:
    """Issue 20 item 2: step 1 lists the member's contracts (formula, start date as
    Belgians write it, e-protection) and the covers; step 2 the facts LA-8 needs, every
    input labelled."""
    portal.log_in()
    choose = portal.client.get("/claims/new")
    assert "gezin, sinds 01/01/2026, met e-protection" in choose.text
    assert 'id="claim-cover-e-merchant-goods"' in choose.text
    assert 'method="get" action="/claims/new"' in choose.text
    facts = portal.client.get("/claims/new?policy=pol-jan&cover=e_merchant_goods")
    text = facts.text
    assert 'enctype="multipart/form-data"' in text and 'name="csrf_token"' in text
    for input_id in (
        "claim-event-date",
        "claim-price",
        "claim-seller-country",
        "claim-promised-delivery-on",
        "claim-delivered-on",
        "claim-delivery-country",
        "claim-evidence",
        "claim-bought-online",
    ):
        assert f'for="{input_id}"' in text, input_id
    assert '<option value="BE" selected>België</option>' in text
    assert 'value="not_delivered"' in text and "Niet geleverd" in text
    # another member's contract id in the address is not offered
    other = portal.client.get("/claims/new?policy=pol-marie&cover=accident")
    assert 'name="policy" value=""' in other.text


def test_jan_declares_an_e_merchant_claim_with_a_photo(portal: Portal) -> None:
    """CL-1 / LA-8: the facts go to claims-svc as its schema wants them (the price as a
    decimal string, also the principal stake, LA-4), the photo follows as evidence; the
    claim's page shows the notice, the decision, the LA-8 deadline and the photo."""
    portal.log_in()
    claim_id = declared(portal)
    (body,) = portal.claims.declared
    assert body["member_id"] == JAN.member_id and body["policy_id"] == "pol-jan"
    assert body["cover"] == "e_merchant_goods" and body["event_date"] == "2026-11-27"
    facts = body["facts"]
    assert facts["price"] == facts["principal_stake"] == "1234.50"
    assert facts["defect"] == "not_delivered" and facts["delivered_on"] is None
    assert facts["bought_online"] is True and facts["new"] is True
    assert facts["promised_delivery_on"] == "2026-11-22"
    ((_, document_id),) = portal.claims.files
    page = portal.client.get(f"/claims/{claim_id}?done=declared")
    assert "Uw aangifte is ontvangen" in page.text and 'role="status"' in page.text
    assert "CL-2026-000001" in page.text and "Gedekt" in page.text
    assert "parcel.png" in page.text
    assert f'href="/claims/{claim_id}/documents/{document_id}"' in page.text
    assert "03/03/2027" in page.text  # LA-8: 3 months (the fake's 91 days)
    photo = portal.client.get(f"/claims/{claim_id}/documents/{document_id}")
    assert photo.status_code == 200 and photo.content == PNG
    listing = portal.client.get("/claims")
    assert "CL-2026-000001" in listing.text and "Online aankoop van een goed" in listing.text
    assert "uiterlijk 03/03/2027" in listing.text and "Aangegeven" in listing.text


def test_the_same_form_sent_twice_is_one_claim(portal: Portal) -> None:
    """The form's idempotency key: a double click declares once."""
    portal.log_in()
    first = declared(portal, photo=None)
    second = declared(portal, photo=None)
    assert first == second and len(portal.claims.stored) == 1


def test_missing_facts_are_shown_on_their_fields_and_nothing_is_declared(
    portal: Portal,
) -> None:
    """Issue 20 item 2: errors in the member's words, announced (role=alert), linked to
    the field (aria-describedby), the given values kept, nothing sent."""
    portal.log_in()
    form = goods(portal, price="twelve", defect="", event_date="27/11")
    response = portal.client.post("/claims/new", data=form)
    assert response.status_code == 422
    page = response.text
    assert "bedrag in euro" in field_error(page, "claim-price")
    assert field_error(page, "claim-defect") == "Maak een keuze."
    assert "geldige datum" in field_error(page, "claim-event-date")
    assert 'id="claim-errors" role="alert"' in page
    assert 'href="#claim-price">Prijs, btw inbegrepen: Geef een bedrag' in page  # the summary
    assert 'value="twelve"' in page  # kept
    assert portal.claims.declared == []


def test_the_services_refusals_land_on_the_right_field(portal: Portal) -> None:
    """claims-svc's 422 ``errors`` naming ``principal_stake`` → the price field; the
    engine's CL-1 (an event after the declaration) → the date, in the member's words."""
    portal.log_in()
    too_much = portal.client.post("/claims/new", data=goods(portal, price="2000000"))
    assert too_much.status_code == 422
    assert "bedrag in euro" in field_error(too_much.text, "claim-price")
    future = portal.client.post(
        "/claims/new", data=goods(portal, event_date=(TODAY.replace(year=2027)).isoformat())
    )
    assert future.status_code == 422
    assert "na vandaag" in field_error(future.text, "claim-event-date")


def test_a_file_that_is_no_photo_or_pdf_is_refused_in_the_members_words(
    portal: Portal,
) -> None:
    """claims-svc takes PDF/JPEG/PNG by content (415): the member reads why, on the
    file field; the declaration itself was received."""
    portal.log_in()
    response = portal.client.post(
        "/claims/new",
        data=goods(portal),
        files={"evidence": ("notes.txt", b"just text", "text/plain")},
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("&evidence=415")
    page = portal.client.get(response.headers["location"])
    assert "Alleen een foto (JPEG of PNG) of een PDF" in field_error(page.text, "evidence-file")
    claim_id = next(iter(portal.claims.stored))
    upload = portal.client.post(
        f"/claims/{claim_id}/documents",
        data={"csrf_token": portal.csrf(f"/claims/{claim_id}")},
        files={"file": ("receipt.pdf", b"%PDF-1.7 receipt", "application/pdf")},
    )
    assert upload.status_code == 303 and upload.headers["location"].endswith("done=evidence")
    assert "receipt.pdf" in portal.client.get(f"/claims/{claim_id}").text


def test_a_file_larger_than_claims_svc_takes_is_not_sent(portal: Portal) -> None:
    portal.log_in()
    claim_id = declared(portal, photo=None)
    upload = portal.client.post(
        f"/claims/{claim_id}/documents",
        data={"csrf_token": portal.csrf(f"/claims/{claim_id}")},
        files={"file": ("big.png", PNG + b"\x00" * (10 * 1024 * 1024), "image/png")},
    )
    assert upload.status_code == 422
    assert "groter dan 10 MB" in field_error(upload.text, "evidence-file")
    assert portal.claims.files == {}


def test_declaring_needs_the_csrf_token(portal: Portal) -> None:
    portal.log_in()
    form = goods(portal)
    del form["csrf_token"]
    assert portal.client.post("/claims/new", data=form).status_code == 403
    assert portal.claims.declared == []


def test_another_members_claim_is_not_found(portal: Portal) -> None:
    portal.log_in()
    claim_id = declared(portal, photo=None)
    portal.client.post("/logout", data={"csrf_token": portal.csrf("/")})
    portal.log_in("demo.marie")
    assert portal.client.get(f"/claims/{claim_id}").status_code == 404
    assert portal.client.get(f"/claims/{claim_id}/documents/doc-1").status_code == 404


def accept_form(portal: Portal, claim_id: str, **fields: str) -> dict[str, str]:
    return {"csrf_token": portal.csrf(f"/claims/{claim_id}"), **fields}


def test_jan_accepts_the_offer_with_his_iban(portal: Portal) -> None:
    """PA-8 / LA-6: the offer shows its amount as Belgians read it and what accepting
    means; a wrong IBAN is refused on its field; a right one → post/redirect/get, the
    payout with the masked account and the day it is paid by."""
    portal.log_in()
    claim_id = declared(portal, photo=None)
    offer_id = portal.claims.offer(claim_id, "400.00")
    page = portal.client.get(f"/claims/{claim_id}")
    assert re.search(r"€\s400,00", page.text)
    assert "uiterlijk 30 dagen na uw aanvaarding" in page.text
    assert f'for="iban-{offer_id}"' in page.text
    action = f"/claims/{claim_id}/offers/{offer_id}/accept"
    wrong = portal.client.post(action, data=accept_form(portal, claim_id, iban="BE00 1234"))
    assert wrong.status_code == 422
    assert "geen geldig IBAN" in field_error(wrong.text, f"iban-{offer_id}")
    assert 'value="BE00 1234"' in wrong.text
    empty = portal.client.post(action, data=accept_form(portal, claim_id, iban=" "))
    assert field_error(empty.text, f"iban-{offer_id}") == "Vul dit in."
    right = portal.client.post(
        action, data=accept_form(portal, claim_id, iban="be71 0961 2345 6769")
    )
    assert right.status_code == 303
    assert right.headers["location"] == f"/claims/{claim_id}?done=accepted"
    assert portal.claims.accepted_with[-1][1] == "BE71 0961 2345 6769"
    done = portal.client.get(right.headers["location"])
    assert "U hebt het voorstel aanvaard" in done.text
    assert "eindigt op 6769, uiterlijk op 01/01/2027" in done.text
    assert f'id="accept-form-{offer_id}"' not in done.text  # nothing left to accept


def test_an_old_login_confirms_with_the_password_before_the_iban_is_set(
    portal: Portal,
) -> None:
    """Issue 15 item 7: claims-svc answers 401 fresh-login-required for a login older
    than 5 minutes: the member stays logged in, the page asks for the username and
    password; a wrong one or another member's is refused; the right one logs the member
    in again for this acceptance only (the session keeps its tokens, the new refresh
    token is revoked) and the acceptance is repeated with the fresh token."""
    portal.log_in()
    claim_id = declared(portal, photo=None)
    offer_id = portal.claims.offer(claim_id)
    portal.claims.stale_tokens = set(portal.identity.tokens)
    action = f"/claims/{claim_id}/offers/{offer_id}/accept"
    iban = "BE71 0961 2345 6769"
    asked = portal.client.post(action, data=accept_form(portal, claim_id, iban=iban))
    assert asked.status_code == 401
    assert "meer dan 5 minuten geleden" in asked.text
    assert f'id="reauth-password-{offer_id}"' in asked.text and f'value="{iban}"' in asked.text
    assert portal.client.get("/claims").status_code == 200  # still logged in
    wrong = portal.client.post(
        action,
        data=accept_form(portal, claim_id, iban=iban, username="demo.jan", password="nope"),
    )
    assert wrong.status_code == 401 and "klopt niet" in wrong.text
    not_him = portal.client.post(
        action,
        data=accept_form(portal, claim_id, iban=iban, username="demo.marie", password=PASSWORD),
    )
    assert not_him.status_code == 401 and "hoort niet bij dit dossier" in not_him.text
    assert portal.claims.accepted_with == []
    before = portal.client.cookies["mylm_session"]
    live_refresh = set(portal.identity.refresh_tokens)
    confirmed = portal.client.post(
        action,
        data=accept_form(portal, claim_id, iban=iban, username="demo.jan", password=PASSWORD),
    )
    assert confirmed.status_code == 303, confirmed.text
    ((token, given),) = portal.claims.accepted_with
    assert given == iban and token not in portal.claims.stale_tokens
    assert portal.client.cookies["mylm_session"] == before  # the same session goes on
    assert set(portal.identity.refresh_tokens) <= live_refresh  # the extra one revoked
    assert "U hebt het voorstel aanvaard" in portal.client.get(confirmed.headers["location"]).text


def test_marie_reads_her_claim_in_french(portal: Portal) -> None:
    """Issue 20 item 2 in French: labels with the no-break space before the colon,
    dates as Belgians write them, amounts as French-speaking Belgians read them, the
    claim's letters linked to the inbox."""
    portal.log_in("demo.marie")
    form = portal.client.get("/claims/new?policy=pol-marie&cover=e_merchant_goods")
    assert '<html lang="fr">' in form.text
    assert "Prix, TVA comprise\u00a0:" in form.text
    response = portal.client.post(
        "/claims/new",
        data={
            **goods(portal, policy="pol-marie", price="250"),
            "csrf_token": portal.csrf("/claims/new"),
        },
    )
    assert response.status_code == 303
    claim_id = next(iter(portal.claims.stored))
    portal.claims.offer(claim_id, "250.00")
    portal.inbox.documents_of[MARIE.member_id] = [  # filed by claims-svc for this claim
        replace(
            document("inbox-doc-1", "Accusé de réception", kind="claim_acknowledgement"),
            source_id=f"{claim_id}:acknowledgement",
        )
    ]
    page = portal.client.get(f"/claims/{claim_id}")
    assert "Sinistre CL-2026-000001" in page.text and "Accepté" in page.text
    assert "250,00\u00a0€" in page.text
    assert 'href="/inbox/inbox-doc-1"' in page.text and "nouveau" in page.text
    assert "Votre numéro de compte (IBAN)\u00a0:" in page.text
    assert portal.claims.declared[0]["facts"]["price"] == "250"
    assert Decimal(portal.claims.declared[0]["facts"]["principal_stake"]) == Decimal(250)
