"""The HMAC secret one-time codes are kept under (``mylm_shared.kernel.codes``).

It comes from a mounted secret file (``CODE_SECRET_FILE``) or, in dev/test only, is
generated once and kept in the service's own database (``code_secrets``), so every
replica of the service uses the same one.
"""

import contextlib
import secrets
from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mylm_shared.mongo import Document

SECRETS = "code_secrets"
MIN_SECRET_BYTES = 32


class CodeSecretMissing(RuntimeError):
    """No usable HMAC secret: the service must not start."""


async def load_code_secret(
    db: AsyncDatabase[Document], secret_file: str | None, *, generate_if_missing: bool
) -> bytes:
    if secret_file:
        return _read_secret_file(secret_file)
    if not generate_if_missing:
        raise CodeSecretMissing("CODE_SECRET_FILE is required: no code secret is generated in prod")
    with contextlib.suppress(DuplicateKeyError):  # another replica made one first
        await db[SECRETS].insert_one({"_id": "current", "secret": secrets.token_hex(32)})
    stored = await db[SECRETS].find_one({"_id": "current"})
    assert stored is not None
    return bytes.fromhex(stored["secret"])


def _read_secret_file(secret_file: str) -> bytes:
    try:
        secret = Path(secret_file).read_bytes().strip()
    except OSError as error:  # names the file, never its content
        raise CodeSecretMissing(f"CODE_SECRET_FILE {secret_file}: {error.strerror}") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise CodeSecretMissing(
            f"CODE_SECRET_FILE {secret_file}: needs at least {MIN_SECRET_BYTES} bytes"
        )
    return secret
