"""`make run`: the local platform plus every service, in the foreground, with demo data.

Starts Kafka, PostgreSQL + FerretDB and Mailpit (unless already running or external), then each
service as a child process on its contract port. A service that dies is restarted
(so you can kill one and watch it recover). Ctrl-C / SIGTERM stops the services
gracefully, then the servers this run started. Data lives in .cache/platform/data/dev
and survives a restart.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType

import httpx

from infra import manifest
from infra.gateway.config import HTTP_PORT, PORTAL_PORT, PROXY_ADDRESS
from infra.gateway.process import GatewayError, GatewayProcess, platform_layout
from infra.local import demo_policies, servers
from infra.local.processes import ServiceProcess, stop_all
from infra.manifest import Manifest, Service

READY_TIMEOUT_SECONDS = 90.0
RESTART_BACKOFF_SECONDS = 2.0


def services(listed: Manifest) -> list[ServiceProcess]:
    """Every service of services.toml on its contract port, told where the services it
    calls run (claims-svc: policy-svc, identity's token endpoint) unless the environment
    says otherwise; they log JSON to this terminal. The gateway's own address is the one
    proxy whose X-Forwarded-For they believe (issue 20 item 1)."""

    def calls(service: Service) -> dict[str, str]:
        urls = listed.urls_of(service, lambda name: listed[name].url)
        return {setting: url for setting, url in urls.items() if setting not in os.environ}

    trusted = {} if "FORWARDED_ALLOW_IPS" in os.environ else {"FORWARDED_ALLOW_IPS": PROXY_ADDRESS}
    return [
        ServiceProcess(s.module, s.port, {**trusted, **calls(s), **csam(s)})
        for s in listed.services
    ]


def csam(service: Service) -> dict[str, str]:
    """Issue 20 item 2: the CSAM provider sends the browser back to the portal (through
    the gateway), which passes the answer on to identity (portal-web/README.md "CSAM
    through the portal"); unless the environment says otherwise."""
    if service.name != "identity" or "CSAM_REDIRECT_URI" in os.environ:
        return {}
    return {"CSAM_REDIRECT_URI": f"http://127.0.0.1:{HTTP_PORT}/csam/callback"}


def portal(listed: Manifest) -> ServiceProcess:
    """Issue 20 item 2: the member portal on :8010, behind the gateway's `/`: identity at
    its own port (portal-web/README.md "Login and the gateway"), the others via the gateway."""
    env = {
        "FORWARDED_ALLOW_IPS": PROXY_ADDRESS,
        "SOURCE_ADDRESS": PROXY_ADDRESS,
        "IDENTITY_URL": listed["identity"].url,
        **{
            f"{name.upper()}_URL": f"http://127.0.0.1:{HTTP_PORT}/api/{name}"
            for name in ("billing", "inbox", "notify", "policy", "claims")
        },
    }
    given = {name: value for name, value in env.items() if name not in os.environ}
    return ServiceProcess("portal", PORTAL_PORT, given)


PORTAL = portal(manifest.load())
SERVICES = [*services(manifest.load()), PORTAL]
# Issue 20 item 1: the one public entry, started once the services answer.
GATEWAY = GatewayProcess(platform_layout({s.name: s.port for s in manifest.load().services}))


def _say(message: str) -> None:
    print(f"[run] {message}", flush=True)


def _banner() -> None:
    _say(
        "all up. Demo accounts (password Demo-Passw0rd!): demo.titular (titular of the "
        "child, demo.teen and demo.adult), demo.teen, demo.adult, demo.other, demo.staff"
    )
    for service in SERVICES:
        if service is not PORTAL:
            _say(f"  {service.module:9} {service.url}/docs")
    _say(f"  portal    http://127.0.0.1:{HTTP_PORT}/ (the member portal; {PORTAL.url} direct)")
    if GATEWAY.is_running():
        _say(f"  gateway   {GATEWAY.url}/api/<service>/v1/… and {GATEWAY.https_url}/api/…")
        _say(f"            (OpenAPI index {GATEWAY.url}/api/; HTTPS trusts {GATEWAY.ca})")
    _say("  e-mails    http://127.0.0.1:8025/")
    _say("  eID demo   .cache/inbox/demo-eid: Jan's signing certificate and key, trusted by")
    _say("             inbox-svc (ES-1; sign and send: docs/services/inbox.md)")
    _say(f"  CSAM login http://127.0.0.1:{HTTP_PORT}/csam/login (the portal; at the provider:")
    _say("             demo.titular, demo.newcomer or demo.unknown, password Demo-Passw0rd!)")
    _say("Ctrl-C stops everything.")


def _seed_demo_policies() -> None:
    """Through the APIs, once the services run; a failure leaves the platform usable."""
    try:
        for what, policy_id in demo_policies.seed().items():
            _say(f"demo policy {policy_id}: {what}")
    except (httpx.HTTPError, TimeoutError) as error:
        _say(f"demo policies not seeded: {error!r}")


def _start_gateway() -> None:
    """nginx in front of the services (docs/gateway.md); without it the services still
    answer on their own ports."""
    try:
        GATEWAY.start().wait_ready()
        _say(f"gateway: ready on {GATEWAY.url} and {GATEWAY.https_url}")
    except (GatewayError, OSError) as error:
        GATEWAY.stop()
        GATEWAY.process = None  # not restarted: the cause (nginx missing, port taken) stays
        _say(f"gateway not started: {error}")


def main() -> int:
    stop: list[bool] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.append(True)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    started = servers.up(servers.DEFAULT_DATA_DIR)
    # Explicitly dev (demo data, generated key): without PROFILE the services run as prod.
    profile = os.environ.get("PROFILE", "dev")
    restarts = dict.fromkeys((service.module for service in SERVICES), 0)
    try:
        for service in SERVICES:
            service.start(PROFILE=profile)
        for service in SERVICES:
            try:
                service.wait_ready(READY_TIMEOUT_SECONDS, cancelled=lambda: bool(stop))
            except (RuntimeError, TimeoutError) as error:
                raise SystemExit(f"[run] {error}") from None
            if not stop:
                _say(f"{service.module}: ready on {service.url}")
        if not stop:
            _start_gateway()
        if not stop and profile == "dev":
            _seed_demo_policies()
        if not stop:
            _banner()
        while not stop:
            for service in SERVICES:
                if not service.is_running():
                    code = service.process.returncode if service.process else None
                    restarts[service.module] += 1
                    _say(f"{service.module}: exited ({code}); restart #{restarts[service.module]}")
                    time.sleep(RESTART_BACKOFF_SECONDS)
                    service.start(PROFILE=profile)
            if GATEWAY.process is not None and not GATEWAY.is_running():
                _say(f"gateway: exited ({GATEWAY.process.returncode}); restarting")
                time.sleep(RESTART_BACKOFF_SECONDS)
                _start_gateway()
            time.sleep(0.5)
    finally:
        if GATEWAY.is_running():
            _say("stopping the gateway ...")
        GATEWAY.stop()
        _say("stopping services ...")
        stop_all(SERVICES)
        if started:
            _say(f"stopping {', '.join(started)} ...")
            servers.down(servers.DEFAULT_DATA_DIR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
