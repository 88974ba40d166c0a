"""The local gateway's TLS certificate (LF-6: traffic between member and server is
encrypted), generated on first run under ``.cache/`` and never committed.

A small local certificate authority signs the gateway's certificate (``localhost``,
``127.0.0.1``, ``::1``); clients trust ``ca.pem`` (``curl --cacert``, httpx
``verify=``). The authority's key is discarded once the certificate is signed: nothing
else can ever be issued under it. In Kubernetes TLS ends at the Ingress (a Secret).
"""

import datetime
import fcntl
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_DAYS = 365
RENEW_BEFORE = datetime.timedelta(days=7)
HOSTS = ("localhost",)
ADDRESSES = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Certificate:
    directory: Path

    @property
    def ca(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def certificate(self) -> Path:
        """The gateway's certificate followed by nothing else (the CA is the anchor)."""
        return self.directory / "gateway.pem"

    @property
    def key(self) -> Path:
        return self.directory / "gateway-key.pem"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "My LM local platform"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _current(found: Certificate, now: datetime.datetime) -> bool:
    if not (found.ca.exists() and found.certificate.exists() and found.key.exists()):
        return False
    cert = x509.load_pem_x509_certificate(found.certificate.read_bytes())
    return cert.not_valid_after_utc - RENEW_BEFORE > now


def ensure_certificate(directory: Path) -> Certificate:
    """The certificate in ``directory``, made (or renewed near its end) when needed."""
    found = Certificate(directory)
    now = datetime.datetime.now(datetime.UTC)
    if _current(found, now):
        return found
    directory.mkdir(parents=True, exist_ok=True)
    # `make run` and parallel tests may get here at once: one writes, the others reuse it
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _current(found, now):
            _issue(found, now)
    return found


def _issue(found: Certificate, now: datetime.datetime) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("My LM local gateway CA")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName(h) for h in HOSTS]
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS - 1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(found.key, key_pem, mode=0o600)
    _write(found.certificate, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    _write(found.ca, ca.public_bytes(serialization.Encoding.PEM), mode=0o644)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Atomically, with its mode from the start (a key is never readable by others)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, mode)
    tmp.replace(path)
