"""Run one service: uvicorn serving the app, graceful on SIGTERM/SIGINT.

The client address every service sees (per-address limits, the audit trail's
``source``) is the socket's, unless the connection comes from a proxy listed in
``FORWARDED_ALLOW_IPS`` (issue 15 item 2): only then does uvicorn read
``X-Forwarded-For``. Its own default would trust loopback, letting any local caller (or
a sidecar forwarding raw traffic) choose the address it is counted under.
"""

import uvicorn
from fastapi import FastAPI

from mylm_shared.settings import ServiceSettings


def uvicorn_config(app: FastAPI, settings: ServiceSettings) -> uvicorn.Config:
    trusted = (settings.forwarded_allow_ips or "").strip()
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # our JSON logging
        access_log=False,
        timeout_graceful_shutdown=10,
        proxy_headers=bool(trusted),
        # Never None: uvicorn would then read its own env default (loopback trusted).
        forwarded_allow_ips=trusted or "",
    )


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.Server(uvicorn_config(app, settings)).run()
