"""Services as real OS processes for e2e tests and the benchmark: on free ports, with
their logs in files (the process handling itself is infra/local/processes.py)."""

import socket
from pathlib import Path

from infra.local.processes import ServiceProcess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def service_process(module: str, env: dict[str, str], log_dir: Path) -> ServiceProcess:
    return ServiceProcess(module, free_port(), env, log_dir / f"{module}.log")
