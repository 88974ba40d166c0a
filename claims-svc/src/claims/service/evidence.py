"""Evidence files: PDF, JPEG or PNG, recognised by their content (magic bytes), not by the
name or the type the client claims."""

import filetype  # type: ignore[import-untyped]  # no type hints shipped

ACCEPTED = ("application/pdf", "image/jpeg", "image/png")


class EvidenceRefused(ValueError):
    """A file claims-svc does not keep: ``status`` 413 (too large) or 415 (its type)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def media_type_of(content: bytes, max_bytes: int) -> str:
    if not content:
        raise EvidenceRefused(415, "The file is empty.")
    if len(content) > max_bytes:
        raise EvidenceRefused(413, f"The file is larger than {max_bytes} bytes.")
    found = filetype.guess_mime(content[:8192])
    if found not in ACCEPTED:
        raise EvidenceRefused(415, "Only PDF, JPEG and PNG files are accepted (by content).")
    return str(found)
