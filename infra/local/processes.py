"""A service as a child OS process: start, wait until ready, kill with any signal,
stop gracefully. Used by `make run` (infra/local/run.py) and by the e2e tests and
benchmark (testkit)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import httpx


def _command(module: str) -> list[str]:
    """The service's command; where util-linux is there, the service gets SIGTERM when
    the process that started it dies (no orphans after a killed run or test)."""
    command = [sys.executable, "-m", module]
    if shutil.which("setpriv"):
        return ["setpriv", "--pdeathsig", "TERM", *command]
    return command


class ServiceProcess:
    def __init__(
        self, module: str, port: int, env: dict[str, str], log_path: Path | None = None
    ) -> None:
        """``log_path`` None: the service writes to this process's stdout."""
        self.module = module
        self.port = port
        self.env = {**os.environ, **env, "PORT": str(port)}
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **extra_env: str) -> "ServiceProcess":
        if self.log_path is None:
            self.process = self._popen(extra_env, None)
            return self
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = self._popen(extra_env, log)
        return self

    def _popen(self, extra_env: dict[str, str], log: IO[bytes] | None) -> "subprocess.Popen[bytes]":
        return subprocess.Popen(
            _command(self.module),
            env={**self.env, **extra_env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT if log is not None else None,
        )

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(
        self, within: float = 90.0, cancelled: Callable[[], bool] = lambda: False
    ) -> None:
        """Poll ``/readyz`` until 200 (Kafka and Mongo reachable), the deadline or ``cancelled``."""
        deadline = time.monotonic() + within
        where = f"; see {self.log_path}" if self.log_path else ""
        while not cancelled():
            if not self.is_running():
                raise RuntimeError(f"{self.module} exited during start-up{where}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.module} not ready within {within:.0f}s{where}")
            time.sleep(0.2)

    def kill(self, signum: int = signal.SIGKILL) -> None:
        assert self.process is not None
        self.process.send_signal(signum)
        self.process.wait(timeout=30)

    def stop(self, grace_seconds: float = 20.0) -> None:
        stop_all([self], grace_seconds)


def stop_all(services: list[ServiceProcess], grace_seconds: float = 20.0) -> None:
    """SIGTERM to every running service at once, SIGKILL to those still up after the grace."""
    running = [s.process for s in services if s.process is not None and s.is_running()]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + grace_seconds
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
