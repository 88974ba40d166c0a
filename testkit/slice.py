"""The services of the walking skeleton as real processes on one isolated run
(own topics, databases, consumer groups and e-mail domain), and the calls a user makes."""

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from aiokafka.admin import AIOKafkaAdminClient

from infra import manifest
from infra.gateway.config import PROXY_ADDRESS
from infra.gateway.process import GatewayProcess, platform_layout
from infra.local.processes import ServiceProcess, stop_all
from testkit.kafka import end_offsets
from testkit.mailpit import Mailpit
from testkit.people import new_member
from testkit.platform import Endpoints, as_env, isolated
from testkit.services import free_port, service_process

PASSWORD = "Demo-Passw0rd!"
LOG_ROOT = Path(__file__).resolve().parent.parent / ".cache" / "test-logs"
# Every service of services.toml, in its start order (the token issuer first).
MANIFEST = manifest.load()
MODULES = MANIFEST.names


@dataclass
class Slice:
    run_id: str
    endpoints: Endpoints
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    gateway: GatewayProcess | None = None
    # Issue 20 item 2: the member portal (start_portal(), before start_gateway()).
    portal: ServiceProcess | None = None
    portal_port: int = field(default_factory=free_port)
    # known before start(): identity's CSAM_REDIRECT_URI may name the portal's callback
    # through the gateway (tests-e2e/test_portal_account.py)
    gateway_port: int = field(default_factory=free_port)

    @property
    def email_domain(self) -> str:
        return f"{self.run_id}.example.org"

    def topic(self, name: str) -> str:
        return f"{self.run_id}.{name}"

    def start(self, **per_service_env: dict[str, str]) -> None:
        """The token issuer (with its demo data) first, then every other service of the
        manifest, each on a free port and told where the issuer and the services it
        calls run (a service comes after those it calls in services.toml)."""
        log_dir = LOG_ROOT / self.run_id
        first = MANIFEST.issuer
        issuer = service_process(MANIFEST[first].module, self._env(first), log_dir)
        jwks = f"{issuer.url}/.well-known/jwks.json"
        self.services[first] = issuer.start(
            **{"SEED_DEMO_DATA": "true", **per_service_env.get(first, {})}
        )
        issuer.wait_ready()
        others = [name for name in MODULES if name != first]
        for module in others:
            env = {**self._env(module), "JWKS_URL": jwks}
            process = service_process(MANIFEST[module].module, env, log_dir)
            self.services[module] = process.start(**per_service_env.get(module, {}))
        for module in others:
            self.services[module].wait_ready()

    def _env(self, module: str) -> dict[str, str]:
        settings = isolated(self.endpoints, self.run_id, module, partitions=3)
        calls = MANIFEST.urls_of(MANIFEST[module], self.url)  # e.g. claims → policy, identity
        # Issue 20 item 1: the gateway's own address is the one proxy whose X-Forwarded-For
        # the services believe (a direct caller's is ignored).
        trusted = {"FORWARDED_ALLOW_IPS": PROXY_ADDRESS}
        return {**as_env(settings), "LOG_LEVEL": "WARNING", **trusted, **calls}

    def start_gateway(self) -> GatewayProcess:
        """The gateway (issue 20 item 1) in front of this slice's services, on free ports,
        its configuration, temporary files and access log in the run's log folder."""
        log_dir = LOG_ROOT / self.run_id
        layout = replace(
            platform_layout({name: process.port for name, process in self.services.items()}),
            runtime_dir=log_dir / "gateway",
            log_dir=log_dir,
            http_port=self.gateway_port,
            https_port=free_port(),
            # `/` to the portal when it runs (start_portal() first), else a 404 problem
            portal_port=self.portal_port if self.portal is not None else None,
        )
        self.gateway = GatewayProcess(layout).start()
        self.gateway.wait_ready()
        return self.gateway

    def start_portal(self) -> ServiceProcess:
        """The member portal (issue 20 item 2, ``python -m portal``) of this run: its own
        sessions database, identity and billing at their ports, the gateway trusted."""
        env = {
            **as_env(
                {
                    "profile": "test",
                    "mongodb_uri": self.endpoints.mongodb_uri,
                    "mongodb_database": f"{self.run_id}_portal",
                }
            ),
            "IDENTITY_URL": self.url("identity"),
            "BILLING_URL": self.url("billing"),
            "INBOX_URL": self.url("inbox"),
            "NOTIFY_URL": self.url("notify"),
            "POLICY_URL": self.url("policy"),
            "CLAIMS_URL": self.url("claims"),
            "FORWARDED_ALLOW_IPS": PROXY_ADDRESS,
            "SOURCE_ADDRESS": PROXY_ADDRESS,
            "LOG_LEVEL": "WARNING",
        }
        log = LOG_ROOT / self.run_id / "portal.log"
        self.portal = ServiceProcess("portal", self.portal_port, env, log).start()
        self.portal.wait_ready()
        return self.portal

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
        stop_all([*self.services.values(), *([self.portal] if self.portal else [])])

    def url(self, module: str) -> str:
        return self.services[module].url


class User:
    """Someone calling the HTTP APIs with a bearer token."""

    def __init__(self, slice_: Slice, token: str) -> None:
        self._slice = slice_
        self.headers = {"Authorization": f"Bearer {token}"}
        self.http = httpx.AsyncClient(timeout=30)

    @classmethod
    async def log_in(cls, slice_: Slice, username: str) -> "User":
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                f"{slice_.url('identity')}/v1/sessions",
                json={"username": username, "password": PASSWORD},
            )
        response.raise_for_status()
        return cls(slice_, response.json()["access_token"])

    async def call(self, method: str, module: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.http.request(
            method, f"{self._slice.url(module)}{path}", headers=headers, **kwargs
        )

    async def register_member(self, local_part: str, language: str = "nl") -> str:
        email = f"{local_part}@{self._slice.email_domain}"
        response = await self.call(
            "POST", "identity", "/v1/members", json=new_member(email, language)
        )
        assert response.status_code == 201, response.text
        member_id: str = response.json()["member_id"]
        if "billing" in self._slice.services:
            # Directory members have no My LM account, so paper (EI-2); the tests' members
            # read their invoices electronically (inbox and e-mail): staff switch it on.
            switched = await self.call(
                "PUT", "billing", f"/v1/members/{member_id}/einvoicing", json={"enabled": True}
            )
            assert switched.status_code == 200, switched.text
        return member_id

    async def issue_invoice(
        self, member_id: str, key: str, amount: str = "19.75"
    ) -> httpx.Response:
        body = {
            "member_id": member_id,
            "issue_date": "2026-11-23",
            "due_date": "2026-12-23",
            "lines": [
                {"service_date": "2026-11-02", "description": "Consultatie", "amount": amount}
            ],
        }
        return await self.call(
            "POST", "billing", "/v1/invoices", json=body, headers={"Idempotency-Key": key}
        )

    async def documents(self, member_id: str) -> list[dict[str, Any]]:
        """Every document in the member's inbox, page after page (issue 19: a cursor)."""
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 200}
        while True:
            response = await self.call(
                "GET", "inbox", f"/v1/members/{member_id}/documents", params=params
            )
            assert response.status_code == 200, response.text
            page = response.json()
            items.extend(page["items"])
            if page["next_cursor"] is None:
                return items
            params = {"limit": 200, "cursor": page["next_cursor"]}

    async def aclose(self) -> None:
        await self.http.aclose()


async def consumer_lag(bootstrap: str, group: str, topic: str) -> int:
    """Messages of ``topic`` the consumer group has not committed yet."""
    ends = await end_offsets(bootstrap, topic)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return sum(end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items())


__all__ = ["Mailpit", "Slice", "User", "consumer_lag"]
