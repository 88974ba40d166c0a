"""Which local servers an environment variable replaces by an external one.

Standard library only: install.sh asks it (before any virtualenv exists) which servers
to build, servers.py which ones to start.  CLI, for install.sh:

    python3 infra/local/targets.py is-local NAME   # exit 0: local; 1: external (prints
                                                   # the variable's name)
"""

from __future__ import annotations

import os
import sys
import urllib.parse
from collections.abc import Mapping

# server -> the variable that points the services elsewhere (PostgreSQL only serves FerretDB)
ENV_VARS = {
    "kafka": "KAFKA_BOOTSTRAP_SERVERS",
    "postgres": "MONGODB_URI",
    "ferretdb": "MONGODB_URI",
    "mailpit": "SMTP_URL",
    "oidc": "CSAM_ISSUER",  # the local CSAM stand-in; identity-svc's OIDC provider
}


def is_local_host(host: str | None) -> bool:
    if not host:
        return True
    host = host.strip("[]").lower()
    return host in ("localhost", "::1", "0.0.0.0") or host.startswith("127.")


def external_target(env_var: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The variable's value if it points to a non-local host (that server is skipped)."""
    val = environ.get(env_var, "").strip()
    if not val:
        return None
    hosts: list[str | None] = []
    if env_var == "KAFKA_BOOTSTRAP_SERVERS":
        for part in val.split(","):
            part = part.strip()
            if "://" in part:
                part = part.split("://", 1)[1]
            hosts.append(urllib.parse.urlsplit("//" + part).hostname)
    elif env_var == "MONGODB_URI":
        if val.startswith("mongodb+srv://"):
            return val
        netloc = val.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
        hosts = [urllib.parse.urlsplit("//" + h).hostname for h in netloc.split(",")]
    else:
        hosts = [urllib.parse.urlsplit(val if "://" in val else "//" + val).hostname]
    return None if all(is_local_host(h) for h in hosts) else val


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "is-local" or argv[1] not in ENV_VARS:
        print(f"usage: targets.py is-local {{{','.join(ENV_VARS)}}}", file=sys.stderr)
        return 2
    var = ENV_VARS[argv[1]]
    if external_target(var):
        print(var)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
