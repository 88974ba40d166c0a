"""``python -m portal``: the live adapters (identity, billing over HTTP; sessions in
MongoDB/FerretDB, database ``portal``) and uvicorn on 127.0.0.1:8010."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI
from mylm_shared.mongo import make_mongo_client
from mylm_shared.settings import load_settings

from portal.adapters import MongoSessions
from portal.app import create_app
from portal.settings import PortalSettings
from portal.upstream import Upstreams
from portal.upstream.billing import HttpBilling
from portal.upstream.claims import HttpClaims
from portal.upstream.identity import HttpIdentity
from portal.upstream.inbox import HttpInbox
from portal.upstream.notify import HttpNotify
from portal.upstream.policy import HttpPolicy


def live_app(settings: PortalSettings) -> FastAPI:
    http = httpx.AsyncClient(timeout=settings.http_timeout_seconds)
    transport = httpx.AsyncHTTPTransport(local_address=settings.source_address)
    to_identity = httpx.AsyncClient(timeout=settings.http_timeout_seconds, transport=transport)
    mongo = make_mongo_client(settings.mongodb_uri, "portal")
    db = mongo[settings.database_name]

    async def ready() -> bool:
        try:
            await db.command("ping")
        except Exception:
            return False
        return True

    app = create_app(
        settings,
        services=Upstreams(
            identity=HttpIdentity(to_identity, settings.identity_url),
            billing=HttpBilling(http, settings.billing_url),
            notify=HttpNotify(http, settings.notify_url),
            inbox=HttpInbox(
                http,
                settings.inbox_url,
                billing_url=settings.billing_url,
                policy_url=settings.policy_url,
            ),
            policy=HttpPolicy(http, settings.policy_url),
            claims=HttpClaims(http, settings.claims_url),
        ),
        store=MongoSessions(db["sessions"]),
        ready=ready,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await http.aclose()
            await to_identity.aclose()
            await mongo.close()

    app.router.lifespan_context = lifespan
    return app


def main() -> None:
    settings = load_settings(PortalSettings)
    uvicorn.run(
        live_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips or "",
        server_header=False,
    )


if __name__ == "__main__":
    main()
