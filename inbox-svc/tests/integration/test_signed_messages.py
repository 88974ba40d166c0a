"""ES-1..ES-3 (issue 19 item 3): messages to the mutuality, signed in the test with
``openssl cms -sign -binary -outform DER`` (detached) under a test CA made in the test
with ``cryptography``, sent to inbox-svc running on the real FerretDB and Kafka, and
verified there with pyHanko against that CA as the configured trust anchor.

valid; one content byte changed, another CA, an expired certificate, no
non-repudiation, a blocked member → stored ``rejected`` with the reason (never refused);
a stored message altered directly in the database → the integrity check reports it."""

import hashlib
import json
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from inbox.adapters.message_store import MESSAGE_CHAIN, MESSAGES, MessageStore
from inbox.bootstrap import create_app, message_checkpoints
from inbox.service.use_cases import InboxUseCases
from inbox.settings import InboxSettings
from mylm_shared.service import use_cases_of

from testkit.apps import serving
from testkit.kafka import read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

MEMBER = "member-es-jan"
OTHER = "member-es-other"
CONTENT = b"Beste,\nhierbij vraag ik de terugbetaling van mijn bril.\nJan Peeters\n"


@dataclass
class Authority:
    name: x509.Name
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _authority(common_name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Authority(name, key, certificate)


@dataclass
class SigningIdentity:
    certificate: Path
    key: Path
    serial: int


class Pki:
    """A test CA (the anchor inbox-svc trusts) and another one, in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.ca = _authority("ES Test eID Root CA")
        self.other = _authority("Some Other Root CA")
        self.anchors = directory / "anchors.pem"
        self.anchors.write_bytes(self.ca.certificate.public_bytes(serialization.Encoding.PEM))

    def identity(
        self,
        name: str,
        *,
        issuer: Authority | None = None,
        non_repudiation: bool = True,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> SigningIdentity:
        authority = issuer or self.ca
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        serial = x509.random_serial_number()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COMMON_NAME, "Jan Peeters (Signature)"),
                        x509.NameAttribute(NameOID.SERIAL_NUMBER, "85073003328"),
                    ]
                )
            )
            .issuer_name(authority.name)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(valid_from or now - timedelta(days=30))
            .not_valid_after(valid_until or now + timedelta(days=30))
            .add_extension(
                x509.KeyUsage(
                    True, non_repudiation, False, False, False, False, False, False, False
                ),
                critical=True,
            )
            .sign(authority.key, hashes.SHA256())
        )
        cert_path = self.directory / f"{name}.pem"
        key_path = self.directory / f"{name}.key"
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return SigningIdentity(cert_path, key_path, serial)

    def sign(self, content: bytes, signer: SigningIdentity) -> bytes:
        """``openssl cms -sign -binary -outform DER``, detached (no ``-nodetach``): what
        the eID middleware and common signing tools produce."""
        source = self.directory / "content.bin"
        source.write_bytes(content)
        out = self.directory / "content.p7s"
        subprocess.run(
            [
                "openssl",
                "cms",
                "-sign",
                "-binary",
                "-in",
                str(source),
                "-signer",
                str(signer.certificate),
                "-inkey",
                str(signer.key),
                "-outform",
                "DER",
                "-out",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
        return out.read_bytes()


@dataclass
class World:
    client: httpx.AsyncClient
    tokens: TokenMint
    pki: Pki
    app: Any
    topic: str
    kafka: str

    async def send(
        self,
        content: bytes,
        signature: bytes | None = None,
        *,
        member_id: str = MEMBER,
        headers: dict[str, str] | None = None,
        attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    ) -> httpx.Response:
        files: list[tuple[str, tuple[str, bytes, str]]] = [
            ("content", ("bericht.txt", content, "text/plain"))
        ]
        files += [("attachments", (n, data, "application/pdf")) for n, data in attachments]
        if signature is not None:
            files.append(
                ("signature", ("bericht.txt.p7s", signature, "application/pkcs7-signature"))
            )
        return await self.client.post(
            f"/v1/members/{member_id}/messages",
            data={"subject": "Terugbetaling bril"},
            files=files,
            headers=headers if headers is not None else self.tokens.member(member_id),
        )

    async def rejected_for(self, content: bytes, signature: bytes) -> str:
        response = await self.send(content, signature)
        assert response.status_code == 201, response.text  # stored, never refused
        verification = response.json()["verification"]
        assert verification["status"] == "rejected", verification
        stored = await self.client.get(
            f"/v1/messages/{response.json()['message_id']}", headers=self.tokens.member(MEMBER)
        )
        assert stored.json()["verification"] == verification
        return str(verification["reason"])


@pytest.fixture
async def world(platform: Endpoints, run_id: str, tmp_path: Path) -> AsyncIterator[World]:
    pki = Pki(tmp_path)
    key_file = tmp_path / "chain.key"
    key_file.write_text("k" * 64)
    settings = InboxSettings(
        **isolated(platform, run_id, "inbox"),  # type: ignore[arg-type]
        signing_trust_anchors_file=str(pki.anchors),
        message_chain_key_file=str(key_file),
        max_upload_body_bytes=256 * 1024,
    )
    tokens = TokenMint()
    app = create_app(settings)
    async with serving(app, tokens) as client:
        yield World(
            client,
            tokens,
            pki,
            app,
            f"{run_id}.message.received",
            platform.kafka_bootstrap_servers,
        )


async def test_es1_a_detached_eid_signature_verifies_valid(world: World) -> None:
    """ES-1 (issue 19 item 3): signed with openssl under the trusted test CA → valid,
    with the signer's subject and serial, the signing time and the content hash; the
    message is readable by the member and staff and announced on message.received."""
    jan = world.pki.identity("jan")
    response = await world.send(
        CONTENT, world.pki.sign(CONTENT, jan), attachments=[("scan.pdf", b"%PDF-1.7 scan")]
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["verification"]["status"] == "valid", body
    assert body["verification"]["reason"] is None
    assert "Jan Peeters (Signature)" in body["verification"]["signer"]["subject"]
    assert int(body["verification"]["signer"]["serial"], 16) == jan.serial
    signed_at = datetime.fromisoformat(body["verification"]["signed_at"])
    assert abs(signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert body["content_sha256"] == hashlib.sha256(CONTENT).hexdigest()

    message_id = body["message_id"]
    for headers in (world.tokens.member(MEMBER), world.tokens.staff()):
        read = await world.client.get(f"/v1/messages/{message_id}", headers=headers)
        assert read.status_code == 200, read.text
        assert read.json()["verification"]["status"] == "valid"
        assert read.json()["attachments"][0]["file_name"] == "scan.pdf"
    # AC-1: another member learns nothing, not even that it exists
    other = await world.client.get(f"/v1/messages/{message_id}", headers=world.tokens.member(OTHER))
    assert other.status_code == 404
    listed = await world.client.get(
        f"/v1/members/{MEMBER}/messages", headers=world.tokens.member(MEMBER)
    )
    assert [m["message_id"] for m in listed.json()["items"]] == [message_id]

    async def announced() -> list[dict[str, Any]]:
        records = await read_all(world.kafka, world.topic)
        return [json.loads(r.value)["data"] for r in records if r.value]

    events = await eventually(announced, what="message.received published")
    assert events[0]["message_id"] == message_id
    assert events[0]["verification"] == "valid"


async def test_es1_one_changed_content_byte_is_rejected(world: World) -> None:
    """ES-1: the signature proves the content's integrity: one byte changed → rejected."""
    signature = world.pki.sign(CONTENT, world.pki.identity("jan"))
    tampered = bytearray(CONTENT)
    tampered[7] ^= 0x01
    reason = await world.rejected_for(bytes(tampered), signature)
    assert "content does not match" in reason


async def test_es1_a_certificate_of_another_ca_is_rejected(world: World) -> None:
    """ES-1: only the configured roots (the eID CAs) identify a signer."""
    stranger = world.pki.identity("stranger", issuer=world.pki.other)
    reason = await world.rejected_for(CONTENT, world.pki.sign(CONTENT, stranger))
    assert "does not chain to a trusted root" in reason


async def test_es1_an_expired_certificate_is_rejected(world: World) -> None:
    """ES-1: the certificate must be valid at the signing time."""
    now = datetime.now(UTC)
    expired = world.pki.identity(
        "expired", valid_from=now - timedelta(days=400), valid_until=now - timedelta(days=1)
    )
    reason = await world.rejected_for(CONTENT, world.pki.sign(CONTENT, expired))
    assert "expired" in reason


async def test_es1_a_certificate_without_non_repudiation_is_rejected(world: World) -> None:
    """ES-1: only the eID's signature certificate (non-repudiation) signs, not e.g. its
    authentication certificate."""
    authentication = world.pki.identity("auth", non_repudiation=False)
    reason = await world.rejected_for(CONTENT, world.pki.sign(CONTENT, authentication))
    assert "non-repudiation" in reason


async def test_es1_garbage_signature_is_stored_rejected_and_unsigned_is_unsigned(
    world: World,
) -> None:
    reason = await world.rejected_for(CONTENT, b"not a signature")
    assert "CMS" in reason
    unsigned = await world.send(CONTENT)
    assert unsigned.status_code == 201, unsigned.text
    assert unsigned.json()["verification"] == {
        "status": "unsigned",
        "reason": None,
        "signer": None,
        "signed_at": None,
    }


async def test_es3_a_blocked_member_s_signed_message_is_rejected_with_the_reason(
    world: World,
) -> None:
    """ES-3: after loss or theft the member blocks signed messaging; a validly signed
    message is then stored rejected with that reason; unblocked (new card), valid."""
    jan = world.pki.identity("jan")
    member = world.tokens.member(MEMBER)
    path = f"/v1/members/{MEMBER}/signing-block"
    refused = await world.client.put(
        path, json={"blocked": True}, headers=world.tokens.member(OTHER)
    )
    assert refused.status_code == 403
    blocked = await world.client.put(
        path, json={"blocked": True, "reason": "eID gestolen, aangifte politie"}, headers=member
    )
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["blocked"] is True and blocked.json()["changed_by"] == "member"
    reason = await world.rejected_for(CONTENT, world.pki.sign(CONTENT, jan))
    assert "blocked" in reason and "eID gestolen" in reason

    lifted = await world.client.put(
        path, json={"blocked": False, "reason": "nieuwe kaart"}, headers=world.tokens.staff()
    )
    assert lifted.status_code == 200, lifted.text
    assert lifted.json()["changed_by"].startswith("staff:")
    again = await world.send(CONTENT, world.pki.sign(CONTENT, jan))
    assert again.json()["verification"]["status"] == "valid"


async def test_es2_a_message_altered_in_the_database_is_reported(world: World) -> None:
    """ES-2: stored unalterably: no API changes a message, and a change made directly in
    the database (here a rejected signature turned valid, and another message's content
    rewritten) is reported by the integrity check (staff only)."""
    jan = world.pki.identity("jan")
    expired = world.pki.identity(
        "old",
        valid_from=datetime.now(UTC) - timedelta(days=400),
        valid_until=datetime.now(UTC) - timedelta(days=1),
    )
    rejected = (await world.send(CONTENT, world.pki.sign(CONTENT, expired))).json()
    valid = (await world.send(CONTENT, world.pki.sign(CONTENT, jan))).json()
    staff = world.tokens.staff()
    check = await world.client.get("/v1/messages/integrity", headers=staff)
    assert check.status_code == 200, check.text
    assert check.json() == {"valid": True, "messages": 2, "findings": []}
    member_check = await world.client.get(
        "/v1/messages/integrity", headers=world.tokens.member(MEMBER)
    )
    assert member_check.status_code == 403

    messages = world.app.state.runtime.db[MESSAGES]
    await messages.update_one(
        {"_id": rejected["message_id"]},
        {"$set": {"verification.status": "valid", "verification.reason": None}},
    )
    await messages.update_one(
        {"_id": valid["message_id"]},
        {"$set": {"content.content": b"Ik zeg alles op.", "content.sha256": "forged"}},
    )
    report = (await world.client.get("/v1/messages/integrity", headers=staff)).json()
    assert report["valid"] is False
    assert {(f["kind"], f["message_id"]) for f in report["findings"]} == {
        ("altered", rejected["message_id"]),
        ("altered", valid["message_id"]),
    }
    await messages.delete_one({"_id": valid["message_id"]})
    report = (
        await world.client.get(f"/v1/messages/integrity?member_id={MEMBER}", headers=staff)
    ).json()
    assert ("deleted", valid["message_id"]) in {
        (f["kind"], f["message_id"]) for f in report["findings"]
    }


async def test_messages_limits_answer_problem_json(world: World) -> None:
    """issue 19 item 3: an upload over the limit is a 413, a message without subject or
    content a 422, both problem+json; staff do not send in a member's name (403)."""
    big = await world.send(b"x" * (300 * 1024))
    assert big.status_code == 413
    assert big.headers["content-type"].startswith("application/problem+json")
    empty = await world.send(b"")
    assert empty.status_code == 422
    assert empty.headers["content-type"].startswith("application/problem+json")
    staff = await world.send(CONTENT, headers=world.tokens.staff())
    assert staff.status_code == 403
    other = await world.send(CONTENT, headers=world.tokens.member(OTHER))
    assert other.status_code == 403
    bad_cursor = await world.client.get(
        f"/v1/members/{MEMBER}/messages?cursor=zzz", headers=world.tokens.member(MEMBER)
    )
    assert bad_cursor.status_code == 422


async def test_es2_a_crash_before_chaining_is_repaired_a_forged_message_is_not(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ES-2: a message stored but not chained (a crash between the two writes) is
    chained at the next start (``chain_unchained``), because its record matches the HMAC
    written with it; a message put into the database by anyone else is never chained and
    the integrity check reports it."""
    store = use_cases_of(world.app, InboxUseCases).messages.store
    assert isinstance(store, MessageStore)

    async def crash(*_: object) -> None:
        raise RuntimeError("crash between the insert and the chaining")

    monkeypatch.setattr(store, "_chain_one", crash)
    try:  # the app answers 500, or the in-process transport re-raises
        answer = await world.send(CONTENT)
    except RuntimeError as error:
        assert "crash" in str(error)
    else:
        assert answer.status_code == 500
    monkeypatch.undo()
    messages = world.app.state.runtime.db[MESSAGES]
    stored = await messages.find_one({"member_id": MEMBER})
    assert stored is not None
    forged = {**stored, "_id": "forged-message", "subject": "Ik zeg alles op"}
    forged.pop("_outbox", None)
    await messages.insert_one(forged)

    assert await store.chain_unchained() == 1  # the crashed one; never the forged one
    report = (await world.client.get("/v1/messages/integrity", headers=world.tokens.staff())).json()
    assert [(f["kind"], f["message_id"]) for f in report["findings"]] == [
        ("unchained", "forged-message")
    ]
    assert report["messages"] == 2


async def test_es2_the_newest_message_removed_with_its_chain_entry_is_reported(
    world: World,
) -> None:
    """ES-2: the chains' heads are published (HMAC'd) to message.checkpoint, outside the
    database: whoever removes a member's newest message and its chain entry together
    leaves a chain shorter than its checkpoint, and the integrity check says so."""
    first = (await world.send(CONTENT)).json()
    second = (await world.send(CONTENT + b"P.S.")).json()
    published = await message_checkpoints(world.app).publish_due()
    assert published == 1  # one member's chain appended to
    staff = world.tokens.staff()
    clean = (await world.client.get("/v1/messages/integrity", headers=staff)).json()
    assert clean["valid"] is True, clean

    db = world.app.state.runtime.db
    await db[MESSAGES].delete_one({"_id": second["message_id"]})
    await db[MESSAGE_CHAIN].delete_one({"_id": f"messages/{MEMBER}@00000002"})
    report = (await world.client.get("/v1/messages/integrity", headers=staff)).json()
    assert report["valid"] is False
    assert [f["kind"] for f in report["findings"]] == ["truncated"], report
    assert report["messages"] == 1
    assert first["message_id"] != second["message_id"]
