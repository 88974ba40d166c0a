"""A demo eID for ``make run`` (dev/test profiles only, never prod): a demo root CA
that inbox-svc trusts when ``SIGNING_TRUST_ANCHORS_FILE`` is unset, and a signing
certificate (non-repudiation, like the eID's signature certificate) with its key for
the demo member Jan Peeters, made once under ``SIGNING_DEMO_DIR`` (``.cache/``, git-
ignored): ``ca.pem``, ``jan-signing.pem``, ``jan-signing.key``. Sign a message with
``openssl cms -sign -binary -in message.txt -signer jan-signing.pem -inkey
jan-signing.key -outform DER -out message.p7s`` (docs/services/inbox.md).
"""

import contextlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CA_FILE = "ca.pem"
JAN_CERTIFICATE = "jan-signing.pem"
JAN_KEY = "jan-signing.key"


def _name(common_name: str, serial: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial is not None:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attributes)


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # non-repudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _write_exclusive(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def ensure_demo_eid(directory: str) -> str:
    """The demo CA's PEM path, making the CA and Jan's certificate first if missing.
    Made in a temporary folder and renamed into place: of two processes starting at once,
    one's rename wins and both use the files that are there."""
    target = Path(directory)
    if (target / CA_FILE).exists():
        return str(target / CA_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    staging.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("My LM demo eID Root CA (not for production)")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    jan_key = ec.generate_private_key(ec.SECP256R1())
    jan = (
        x509.CertificateBuilder()
        .subject_name(_name("Jan Peeters (Signature)", "85073003328"))
        .issuer_name(ca_name)
        .public_key(jan_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write_exclusive(
        staging / JAN_KEY,
        jan_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        0o600,
    )
    _write_exclusive(staging / JAN_CERTIFICATE, jan.public_bytes(pem), 0o644)
    _write_exclusive(staging / CA_FILE, ca.public_bytes(pem), 0o644)
    try:
        staging.rename(target)
    except OSError:  # another process made it first: theirs is used
        for child in staging.iterdir():
            child.unlink()
        with contextlib.suppress(OSError):
            staging.rmdir()
    return str(target / CA_FILE)
