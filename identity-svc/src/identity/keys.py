"""``python -m identity.keys rotate``: a new signing key for dev/test, where identity-svc
keeps its keys in its database. The replaced key stays published in the JWKS as the
previous one, so no token signed with it is refused; identity-svc signs with the new key
after its next start. (Production mounts SIGNING_KEY_FILE and PREVIOUS_SIGNING_KEY_FILE:
rotate by mounting the new key as the first and the old one as the second.)"""

import argparse
import asyncio

from mylm_shared.mongo import make_mongo_client
from mylm_shared.settings import load_settings

from identity.adapters.keys import rotate_signing_key
from identity.settings import IdentitySettings


async def _rotate(settings: IdentitySettings) -> str:
    client = make_mongo_client(settings.mongodb_uri, "identity-keys")
    try:
        key = await rotate_signing_key(client[settings.database_name])
    finally:
        await client.close()
    previous = key.previous.kid if key.previous else "none"
    return f"signing key {key.kid} is current; {previous} stays published as the previous one"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m identity.keys", description=__doc__)
    parser.add_argument("command", choices=["rotate"])
    parser.parse_args(argv)
    settings = load_settings(IdentitySettings)
    if settings.signing_key_file:
        raise SystemExit("SIGNING_KEY_FILE is set: keys are mounted files, rotate them there")
    print(asyncio.run(_rotate(settings)))


if __name__ == "__main__":
    main()
