"""``python -m identity.service_clients new claims-svc --scope policy:read``: a random
secret for a new service client (OAuth 2.0 client credentials, RFC 6749 §4.4) and its
``SERVICE_CLIENTS`` entry. Give the secret to the client (a mounted secret), the entry
(argon2id hash only) to identity-svc; identity-svc never stores the secret itself."""

import argparse
import json
import secrets

from identity.adapters.passwords import hash_password


def new_client(client_id: str, scopes: list[str]) -> tuple[str, dict[str, object]]:
    secret = secrets.token_urlsafe(32)  # 256 bits: guessing is hopeless, throttled anyway
    return secret, {client_id: {"secret_hash": hash_password(secret), "scopes": scopes}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m identity.service_clients", description=__doc__)
    parser.add_argument("command", choices=["new"])
    parser.add_argument("client_id")
    parser.add_argument("--scope", action="append", default=[], help="repeat for each scope")
    args = parser.parse_args(argv)
    secret, entry = new_client(args.client_id, args.scope)
    print(f"client secret (give it to {args.client_id} only): {secret}")
    print(f"SERVICE_CLIENTS entry: {json.dumps(entry)}")


if __name__ == "__main__":
    main()
