"""Verifies a detached CMS/PKCS#7 signature over a message's content (ES-1; issue 19
item 3) with pyHanko and pyhanko-certvalidator: the messageDigest over the content's
exact bytes and the signature over the signed attributes, the chain to the configured
trust anchors (``SIGNING_TRUST_ANCHORS_FILE``: a PEM bundle of roots, the Belgian eID
roots in production, a test CA in tests), the certificate's validity at the signing time
(the ``signingTime`` attribute, else the time of receipt) and its key usage
(non-repudiation, as the eID's signature certificate has). No network: intermediates
come from the signature itself (the eID middleware includes the citizen CA) or from the
anchors file; revocation is not fetched (ES-3 blocks in this service stand for it).

Every outcome is a ``SignatureCheck``: ``valid``, or ``rejected`` with the first reason
found, in this order: not a CMS, not exactly one signer, content does not match, no
certificate, wrong key usage, outside the validity period at signing time, not chaining
to an anchor, the signature itself broken. Never an exception for a bad signature.
"""

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import cms, pem, x509
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from inbox.domain.messages import SignatureCheck, Signer

log = logging.getLogger(__name__)

NON_REPUDIATION = "non_repudiation"
# A signer's clock may run a little ahead of ours: a signing time up to this much after
# receipt is taken as the time of receipt; beyond it, the signature is rejected.
CLOCK_SKEW = timedelta(minutes=5)


class TrustAnchorsMissing(RuntimeError):
    """The trust anchors file is missing or holds no certificate: no signature can be
    judged valid; inbox-svc does not start."""


def load_anchors(path: str) -> list[x509.Certificate]:
    """The roots in a PEM bundle (or one DER certificate)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise TrustAnchorsMissing(f"SIGNING_TRUST_ANCHORS_FILE {path}: {error.strerror}") from None
    try:
        if pem.detect(data):
            found = [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        else:
            found = [x509.Certificate.load(data)]
        for certificate in found:
            _ = certificate.subject  # parse now: a broken bundle fails at start
    except ValueError as error:
        raise TrustAnchorsMissing(f"SIGNING_TRUST_ANCHORS_FILE {path}: {error}") from None
    if not found:
        raise TrustAnchorsMissing(f"SIGNING_TRUST_ANCHORS_FILE {path}: no certificate")
    return found


def _rejected(
    reason: str,
    certificate: x509.Certificate | None = None,
    signed_at: datetime | None = None,
) -> SignatureCheck:
    return SignatureCheck(
        "rejected",
        reason,
        _signer(certificate) if certificate is not None else None,
        signed_at,
        certificate.dump() if certificate is not None else None,
    )


def _signer(certificate: x509.Certificate) -> Signer:
    subject = certificate.subject.human_friendly
    return Signer(subject=subject, serial=format(certificate.serial_number, "x"))


def _signed_data(signature: bytes) -> cms.SignedData | None:
    try:
        info = cms.ContentInfo.load(signature)
        if info["content_type"].native != "signed_data":
            return None
        signed = info["content"]
        _ = signed.native  # parse it all now: a malformed one is not a signature
    except (ValueError, TypeError, KeyError):
        return None
    return signed if isinstance(signed, cms.SignedData) else None


def _signing_time(signer_info: cms.SignerInfo) -> datetime | None:
    for attribute in signer_info["signed_attrs"] or []:
        if attribute["type"].native == "signing_time":
            value = attribute["values"][0].native
            if isinstance(value, datetime):
                return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _signer_certificate(
    signed: cms.SignedData, signer_info: cms.SignerInfo
) -> x509.Certificate | None:
    sid = signer_info["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        certificate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                certificate.issuer == wanted["issuer"]
                and certificate.serial_number == wanted["serial_number"].native
            ):
                return certificate
        elif certificate.key_identifier == sid.chosen.native:
            return certificate
    return None


class CmsVerifier:
    """``SignatureVerifier`` over pyHanko. ``anchors``: the trusted roots."""

    def __init__(self, anchors: list[x509.Certificate]) -> None:
        self._anchors = anchors

    @classmethod
    def from_file(cls, path: str) -> "CmsVerifier":
        return cls(load_anchors(path))

    async def verify(
        self, content: bytes, signature: bytes, received_at: datetime
    ) -> SignatureCheck:
        signed = _signed_data(signature)
        if signed is None:
            return _rejected("the signature is not a DER-encoded CMS/PKCS#7 SignedData")
        signer_infos = signed["signer_infos"]
        if len(signer_infos) != 1:
            return _rejected("the signature must have exactly one signer")
        signer_info = signer_infos[0]
        certificate = _signer_certificate(signed, signer_info)
        signed_at = _signing_time(signer_info)
        moment = min(signed_at, received_at) if signed_at is not None else received_at
        if certificate is None:
            return _rejected("the signature does not include the signer's certificate")
        embedded = signed["encap_content_info"]["content"].native
        if embedded is not None and embedded != content:
            return _rejected(
                "the signature encapsulates other content than the message", certificate, signed_at
            )
        if signed_at is not None and signed_at > received_at + CLOCK_SKEW:
            return _rejected(
                "the signing time is later than the time the message was received",
                certificate,
                signed_at,
            )
        usage = certificate.key_usage_value
        if usage is None or NON_REPUDIATION not in usage.native:
            return _rejected(
                "the certificate is not for signing: it lacks the non-repudiation key usage",
                certificate,
                signed_at,
            )
        validity = certificate["tbs_certificate"]["validity"]
        not_before = validity["not_before"].native
        not_after = validity["not_after"].native
        if moment > not_after:
            return _rejected(
                f"the certificate had expired at the signing time ({not_after.isoformat()})",
                certificate,
                signed_at,
            )
        if moment < not_before:
            return _rejected(
                "the certificate was not yet valid at the signing time", certificate, signed_at
            )
        context = ValidationContext(
            trust_roots=list(self._anchors),
            moment=moment,
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        try:
            status = await async_validate_detached_cms(
                content,
                signed,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage={NON_REPUDIATION}),
            )
        except Exception as error:
            log.info("signature validation failed", extra={"error": repr(error)})
            return _rejected(f"the signature cannot be validated ({type(error).__name__})")
        if not status.intact:
            return _rejected(
                "the content does not match the signature (changed after signing)",
                certificate,
                signed_at,
            )
        if not status.valid:
            return _rejected("the signature value is not valid", certificate, signed_at)
        if not status.trusted:
            indication = status.trust_problem_indic
            what = str(indication) if indication is not None else "untrusted"
            if status.validation_path is None:
                reason = "the certificate does not chain to a trusted root (eID CA)"
            else:
                reason = f"the certificate chain is not trusted ({what})"
            return _rejected(reason, certificate, signed_at)
        return SignatureCheck("valid", None, _signer(certificate), signed_at, certificate.dump())
