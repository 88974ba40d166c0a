"""`make run`: the local platform plus every service, in the foreground, with demo data.

Starts Kafka, FerretDB and Mailpit (unless already running or external), then each
service as a child process on its contract port. A service that dies is restarted
(so you can kill one and watch it recover). Ctrl-C / SIGTERM stops the services
gracefully, then the servers this run started. Data lives in .cache/platform/data/dev
and survives a restart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from types import FrameType

from infra.local import servers

READY_TIMEOUT_SECONDS = 90.0
STOP_GRACE_SECONDS = 20.0
RESTART_BACKOFF_SECONDS = 2.0


@dataclass
class ServiceProcess:
    module: str
    port: int
    process: subprocess.Popen[bytes] | None = None
    restarts: int = field(default=0)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module],
            env={**env, "PORT": str(self.port)},
            stdin=subprocess.DEVNULL,
        )

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None


SERVICES = [
    ServiceProcess("identity", 8001),
    ServiceProcess("billing", 8002),
    ServiceProcess("inbox", 8003),
    ServiceProcess("notify", 8006),
]


def _say(message: str) -> None:
    print(f"[run] {message}", flush=True)


def _ready(service: ServiceProcess) -> bool:
    try:
        with urllib.request.urlopen(f"{service.base_url}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_ready(service: ServiceProcess, stop: list[bool]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not stop:
        if _ready(service):
            _say(f"{service.module}: ready on {service.base_url}")
            return
        if not service.is_running():
            raise SystemExit(f"[run] {service.module} exited during start-up")
        if time.monotonic() > deadline:
            raise SystemExit(f"[run] {service.module} not ready after {READY_TIMEOUT_SECONDS:.0f}s")
        time.sleep(0.3)


def _stop_services() -> None:
    for service in SERVICES:
        if service.is_running() and service.process:
            service.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for service in SERVICES:
        if service.process is None:
            continue
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(f"{service.module}: no exit after {STOP_GRACE_SECONDS:.0f}s, SIGKILL")
            service.process.kill()
            service.process.wait()


def _banner() -> None:
    _say("all up. Demo accounts (password Demo-Passw0rd!): demo.titular, demo.other, demo.staff")
    for service in SERVICES:
        _say(f"  {service.module:9} {service.base_url}/docs")
    _say("  e-mails    http://127.0.0.1:8025/")
    _say("Ctrl-C stops everything.")


def main() -> int:
    stop: list[bool] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.append(True)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    started = servers.up(servers.DEFAULT_DATA_DIR)
    env = {**os.environ, "PROFILE": os.environ.get("PROFILE", "dev")}
    try:
        for service in SERVICES:
            service.start(env)
        for service in SERVICES:
            _wait_ready(service, stop)
        if not stop:
            _banner()
        while not stop:
            for service in SERVICES:
                if not service.is_running():
                    code = service.process.returncode if service.process else None
                    service.restarts += 1
                    _say(f"{service.module}: exited ({code}); restart #{service.restarts}")
                    time.sleep(RESTART_BACKOFF_SECONDS)
                    service.start(env)
            time.sleep(0.5)
    finally:
        _say("stopping services ...")
        _stop_services()
        if started:
            _say(f"stopping {', '.join(started)} ...")
            servers.down(servers.DEFAULT_DATA_DIR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
