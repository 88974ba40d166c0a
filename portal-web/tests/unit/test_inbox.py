"""The portal's inbox and messages (issue 20 item 2; IN-1, IN-3, ES-1..ES-3) against the
fakes: unread count, filters, cursor pages, open (marks read), download, read/unread,
archive/unarchive as CSRF-checked forms, messages with a signature and their
verification in the member's words, upload limits."""

import asyncio
import re

import httpx
import pytest
from portal.pages.inbox import reason_text
from portal.ports import ServiceProblem
from portal.upstream.inbox import HttpInbox, Verification

from testkit.fakes.portal import JAN, MARIE
from testkit.fakes.portal_inbox import document

from .test_portal import Portal

LETTER = "Beste Jan,\nWij ontvingen uw aangifte <script>."


@pytest.fixture
def portal() -> Portal:
    portal = Portal()
    portal.inbox.documents_of[JAN.member_id] = [
        document("doc-3", "Factuur 2026-0003 — € 25,50", days_ago=0),
        document(
            "doc-2",
            "Ontvangst van uw schadeaangifte",
            kind="claim_acknowledgement",
            days_ago=1,
            body=LETTER,
        ),
        document("doc-1", "Factuur 2026-0001", days_ago=2, read=True),
        document("doc-0", "Oude factuur", days_ago=30, read=True, archived=True),
    ]
    portal.inbox.documents_of[MARIE.member_id] = [
        document("doc-m", "Facture 2026-0009", days_ago=0),
    ]
    return portal


def csrf_of(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found
    return found[1]


def test_the_inbox_lists_documents_with_the_unread_count_also_in_the_menu(
    portal: Portal,
) -> None:
    """Issue 20 item 2 (IN-1): title in the member's language, kind, Belgian date, read
    state; unread (not archived) counted; archived ones not in the inbox view."""
    portal.log_in()
    page = portal.client.get("/inbox")
    assert page.status_code == 200
    assert 'id="inbox-unread">2<' in page.text
    assert 'id="nav-inbox-unread">2' in page.text
    assert "Factuur 2026-0003 — € 25,50" in page.text and "Oude factuur" not in page.text
    assert "Ontvangstbevestiging schadegeval" in page.text  # the kind, in Dutch
    assert "01/12/2026" in page.text and "30/11/2026" in page.text
    assert page.text.count('class="document-state state-unread"') == 2
    assert 'id="filter-inbox" href="/inbox" aria-current="page"' in page.text


def test_filters_unread_and_archived(portal: Portal) -> None:
    """Issue 20 item 2: unread shows only unread; the archive only archived ones."""
    portal.log_in()
    unread = portal.client.get("/inbox?show=unread").text
    assert "doc-3" in unread and "doc-2" in unread and "doc-1" not in unread
    archive = portal.client.get("/inbox?show=archived").text
    assert "Oude factuur" in archive and "doc-3" not in archive
    assert "Terug naar inbox" in archive  # the unarchive button
    assert 'id="filter-archived" href="/inbox?show=archived" aria-current="page"' in archive


def test_cursor_pages_link_to_the_next_and_first_page(portal: Portal) -> None:
    """Issue 20 item 2: cursor pagination ("next page"), a forged cursor told plainly."""
    portal.inbox.documents_of[JAN.member_id] = [
        document(f"doc-{n:02}", f"Factuur {n}", days_ago=n) for n in range(25)
    ]
    portal.log_in()
    first = portal.client.get("/inbox").text
    assert first.count('class="document-link"') == 20
    found = re.search(r'id="next-page" href="([^"]+)"', first)
    assert found and "cursor=at-20" in found[1]
    second = portal.client.get(found[1].replace("&amp;", "&")).text
    assert second.count('class="document-link"') == 5
    assert 'id="next-page"' not in second and 'id="first-page" href="/inbox"' in second
    forged = portal.client.get("/inbox?cursor=nonsense")
    assert forged.status_code == 422
    assert "Begin opnieuw bij de eerste pagina" in forged.text and 'role="alert"' in forged.text


def test_opening_a_document_marks_it_read_and_shows_its_facts_and_download(
    portal: Portal,
) -> None:
    """Issue 20 item 2: open = read (IN-1); a letter's text escaped; the download link."""
    portal.log_in()
    page = portal.client.get("/inbox/doc-2")
    assert page.status_code == 200
    assert 'id="document-title">Ontvangst van uw schadeaangifte' in page.text
    assert "&lt;script&gt;" in page.text and "<script>" not in page.text
    assert 'id="document-download" class="download" href="/inbox/doc-2/content"' in page.text
    assert 'id="document-state">Gelezen' in page.text
    stored = portal.inbox.documents_of[JAN.member_id][1]
    assert stored.document_id == "doc-2" and stored.read
    assert 'id="inbox-unread">1<' in portal.client.get("/inbox").text


def test_the_download_is_streamed_as_a_pdf(portal: Portal) -> None:
    portal.log_in()
    response = portal.client.get("/inbox/doc-3/content")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == portal.inbox.pdf
    assert "document-doc-3.pdf" in response.headers["content-disposition"]


def test_another_members_document_is_not_found(portal: Portal) -> None:
    """AC-1: Marie's document does not exist for Jan (404, nothing leaks)."""
    portal.log_in()
    assert portal.client.get("/inbox/doc-m").status_code == 404
    assert portal.client.get("/inbox/doc-m/content").status_code == 404
    csrf = csrf_of(portal.client.get("/inbox").text)
    response = portal.client.post("/inbox/doc-m/archive", data={"csrf_token": csrf, "on": "1"})
    assert response.status_code == 404
    assert not portal.inbox.documents_of[MARIE.member_id][0].archived


def test_mark_read_unread_archive_unarchive_post_redirect_get(portal: Portal) -> None:
    """Issue 20 item 2: the small forms; back to the same view with a notice."""
    portal.log_in()
    csrf = csrf_of(portal.client.get("/inbox").text)
    done = portal.client.post("/inbox/doc-3/read", data={"csrf_token": csrf, "on": "1"})
    assert done.status_code == 303 and done.headers["location"] == "/inbox?done=read"
    assert "Gemarkeerd als gelezen." in portal.client.get(done.headers["location"]).text
    assert portal.inbox.documents_of[JAN.member_id][0].read
    back = portal.client.post(
        "/inbox/doc-3/read", data={"csrf_token": csrf, "on": "0", "show": "unread"}
    )
    assert back.headers["location"] == "/inbox?show=unread&done=unread"
    assert not portal.inbox.documents_of[JAN.member_id][0].read
    archived = portal.client.post("/inbox/doc-3/archive", data={"csrf_token": csrf, "on": "1"})
    assert archived.headers["location"] == "/inbox?done=archive"
    assert portal.inbox.documents_of[JAN.member_id][0].archived
    assert "doc-3" not in portal.client.get("/inbox").text
    again = portal.client.post(
        "/inbox/doc-3/archive", data={"csrf_token": csrf, "on": "0", "show": "archived"}
    )
    assert again.headers["location"] == "/inbox?show=archived&done=unarchive"
    assert not portal.inbox.documents_of[JAN.member_id][0].archived


def test_a_mark_without_the_csrf_token_is_refused(portal: Portal) -> None:
    portal.log_in()
    response = portal.client.post("/inbox/doc-3/read", data={"on": "1"})
    assert response.status_code == 403
    assert not portal.inbox.documents_of[JAN.member_id][0].read


def test_not_logged_in_goes_to_the_login_page(portal: Portal) -> None:
    for path in ("/inbox", "/inbox/doc-3", "/inbox/doc-3/content", "/messages", "/messages/new"):
        response = portal.client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login", path


def test_marie_reads_her_inbox_in_french(portal: Portal) -> None:
    portal.log_in("demo.marie")
    page = portal.client.get("/inbox")
    assert '<html lang="fr">' in page.text
    assert "Votre boîte de réception" in page.text and "Facture 2026-0009" in page.text
    assert "Documents non lus\u00a0:" in page.text and "Marquer comme lu" in page.text
    assert "Facture" in page.text and "Archiver" in page.text


def new_message_csrf(portal: Portal) -> str:
    page = portal.client.get("/messages/new")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert '<label for="signature">' in page.text and 'id="signature-help"' in page.text
    return csrf_of(page.text)


def test_a_signed_message_is_sent_and_its_verification_shown(portal: Portal) -> None:
    """ES-1: subject, content file, attachments and the detached signature reach
    inbox-svc as sent; the result page says "Geldig" and who signed."""
    portal.inbox.verdict = Verification(
        "valid",
        signer="Serial Number: 85073003328, Common Name: Jan Peeters (Signature), Country: BE",
    )
    portal.log_in()
    csrf = new_message_csrf(portal)
    response = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Terugbetaling bril"},
        files=[
            ("content", ("message.txt", b"Beste,\nmijn bril.\n", "text/plain")),
            ("attachments", ("bril.jpg", b"\xff\xd8jpeg", "image/jpeg")),
            ("attachments", ("factuur.pdf", b"%PDF-1.7", "application/pdf")),
            ("signature", ("message.p7s", b"0\x82DER", "application/octet-stream")),
        ],
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/messages?sent=")
    subject, content, attachments, signature = portal.inbox.uploads[0]
    assert subject == "Terugbetaling bril" and content.data == b"Beste,\nmijn bril.\n"
    assert [a.file_name for a in attachments] == ["bril.jpg", "factuur.pdf"]
    assert signature is not None and signature.data == b"0\x82DER"
    result = portal.client.get(response.headers["location"]).text
    assert 'id="message-status" class="signature signature-valid">Geldig' in result
    assert 'id="message-signer">Ondertekend door Jan Peeters (Signature)</p>' in result
    assert "Terugbetaling bril" in result and 'id="messages-table"' in result


def test_empty_file_inputs_send_an_unsigned_message(portal: Portal) -> None:
    """ES-1: no signature chosen (the browser sends an empty part) is unsigned."""
    portal.log_in()
    csrf = new_message_csrf(portal)
    response = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Vraag"},
        files=[
            ("content", ("vraag.txt", b"Een vraag", "text/plain")),
            ("attachments", ("", b"", "application/octet-stream")),
            ("signature", ("", b"", "application/octet-stream")),
        ],
    )
    assert response.status_code == 303
    _, _, attachments, signature = portal.inbox.uploads[0]
    assert attachments == [] and signature is None
    result = portal.client.get(response.headers["location"]).text
    assert 'signature-unsigned">Niet ondertekend' in result


def test_a_rejected_signature_is_explained_in_the_members_words(portal: Portal) -> None:
    """ES-1/ES-3: the service's reason told in nl/fr (changed after signing)."""
    portal.inbox.verdict = Verification(
        "rejected", "the content does not match the signature (changed after signing)"
    )
    portal.log_in("demo.marie")
    csrf = new_message_csrf(portal)
    response = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Lunettes"},
        files=[
            ("content", ("m.txt", b"Bonjour", "text/plain")),
            ("signature", ("m.p7s", b"0\x82", "application/pkcs7-signature")),
        ],
    )
    page = portal.client.get(response.headers["location"]).text
    assert "Refusée" in page and "Le message a été modifié après avoir été signé." in page


def test_reasons_known_and_unknown() -> None:
    blocked = Verification(
        "rejected",
        "signed messaging is blocked for this member (ES-3, loss or theft of the eID): "
        "eID verloren",
    )
    assert reason_text(blocked, "nl") == (
        "Ondertekenen is geblokkeerd voor uw dossier (verlies of diefstal van uw eID): "
        "eID verloren."
    )
    untrusted = Verification("rejected", "the certificate does not chain to a trusted root")
    assert reason_text(untrusted, "fr") == (
        "La signature n'a pas été faite avec une carte eID belge."
    )
    other = Verification("rejected", "the signature must have exactly one signer")
    assert "exactly one signer" in (reason_text(other, "nl") or "")
    assert reason_text(Verification("valid"), "nl") is None


def test_a_message_without_subject_or_content_is_shown_again_with_the_error(
    portal: Portal,
) -> None:
    """Labels and errors: role=alert, linked with aria-describedby, nothing sent."""
    portal.log_in()
    csrf = new_message_csrf(portal)
    no_subject = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": " "},
        files=[("content", ("m.txt", b"x", "text/plain"))],
    )
    assert no_subject.status_code == 422
    assert 'id="message-error" role="alert"' in no_subject.text
    assert 'aria-invalid="true" aria-describedby="message-error"' in no_subject.text
    empty = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Vraag"},
        files=[("content", ("m.txt", b"", "text/plain"))],
    )
    assert empty.status_code == 422 and "mag niet leeg zijn" in empty.text
    assert 'value="Vraag"' in empty.text
    assert portal.inbox.uploads == []


def test_too_many_attachments_and_too_large_a_body_are_refused_before_sending(
    portal: Portal,
) -> None:
    """Size limits as inbox-svc's (MAX_UPLOAD_BODY_BYTES, MAX_MESSAGE_ATTACHMENTS)."""
    portal.log_in()
    csrf = new_message_csrf(portal)
    many = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Veel"},
        files=[("content", ("m.txt", b"x", "text/plain"))]
        + [("attachments", (f"a{n}.txt", b"a", "text/plain")) for n in range(11)],
    )
    assert many.status_code == 422 and "hoogstens 10 bijlagen" in many.text
    limit = portal.settings.max_upload_body_bytes
    large = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Groot"},
        files=[("content", ("big.bin", b"x" * (limit + 1), "application/octet-stream"))],
    )
    assert large.status_code == 413 and "te groot" in large.text
    assert portal.inbox.uploads == []


def test_the_services_refusal_is_shown_on_the_form(portal: Portal) -> None:
    """A service 413/422 (its own limits) in the member's words or its detail."""
    portal.log_in()
    csrf = new_message_csrf(portal)
    portal.inbox.failure = ServiceProblem(422, "At most 10 attachments.")
    refused = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Vraag"},
        files=[("content", ("m.txt", b"x", "text/plain"))],
    )
    assert refused.status_code == 422 and "At most 10 attachments." in refused.text
    portal.inbox.failure = ServiceProblem(413, "Too large.")
    too_large = portal.client.post(
        "/messages/new",
        data={"csrf_token": csrf, "subject": "Vraag"},
        files=[("content", ("m.txt", b"x", "text/plain"))],
    )
    assert too_large.status_code == 413 and "te groot" in too_large.text


def test_a_message_form_without_csrf_is_refused(portal: Portal) -> None:
    portal.log_in()
    response = portal.client.post(
        "/messages/new",
        data={"subject": "Vraag"},
        files=[("content", ("m.txt", b"x", "text/plain"))],
    )
    assert response.status_code == 403 and portal.inbox.uploads == []


def test_inbox_settings_on_by_default_and_switched(portal: Portal) -> None:
    """IN-2/IN-3: the port the settings page uses: on for a member who never switched."""
    portal.log_in()
    token = next(iter(portal.identity.tokens))
    assert asyncio.run(portal.inbox.inbox_settings(token, JAN.member_id)) is True
    assert asyncio.run(portal.inbox.set_inbox_settings(token, JAN.member_id, False)) is False
    assert asyncio.run(portal.inbox.inbox_settings(token, JAN.member_id)) is False
    with pytest.raises(ServiceProblem):
        asyncio.run(portal.inbox.inbox_settings(token, MARIE.member_id))


def test_the_adapter_follows_the_inboxs_303_to_the_owner_at_the_portals_own_url() -> None:
    """Issue 20 item 2 / issue 19 item 1: an invoice's content is billing's; inbox-svc
    answers 303 with its public base (here another host). The portal fetches the same
    path from billing at its own BILLING_URL with the member's token, and sends the token
    nowhere else; a Location it cannot place is refused (502)."""
    seen: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("authorization")))
        if request.url.path == "/api/inbox/v1/documents/d-1/content":
            return httpx.Response(
                303, headers={"location": "http://elsewhere.example/v1/invoices/I-1.pdf"}
            )
        if request.url.path == "/api/inbox/v1/documents/d-2/content":
            return httpx.Response(303, headers={"location": "http://x.example/v1/other/1"})
        if request.url.path == "/api/billing/v1/invoices/I-1.pdf":
            return httpx.Response(
                200, content=b"%PDF-1.7 invoice", headers={"content-type": "application/pdf"}
            )
        return httpx.Response(404, json={"detail": "No such document."})

    async def run() -> tuple[bytes, int]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            inbox = HttpInbox(
                client,
                "http://gw/api/inbox",
                billing_url="http://gw/api/billing",
                policy_url="http://gw/api/policy",
            )
            found = await inbox.content("tok", "d-1")
            assert found is not None and found.media_type == "application/pdf"
            data = b"".join([chunk async for chunk in found.chunks])
            assert await inbox.content("tok", "d-9") is None
            with pytest.raises(ServiceProblem) as refused:
                await inbox.content("tok", "d-2")
            return data, refused.value.status

    data, status = asyncio.run(run())
    assert data == b"%PDF-1.7 invoice" and status == 502
    assert ("http://gw/api/billing/v1/invoices/I-1.pdf", "Bearer tok") in seen
    assert not any("example" in url for url, _ in seen)
