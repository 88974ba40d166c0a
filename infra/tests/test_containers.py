"""What can be tested of the container images without a container engine (issue 21
item 1): each service's locked dependency set installs into an empty environment, the
way the Dockerfile's build stage installs it (`uv sync --frozen --no-dev --no-editable
--package mylm-<name>`, here offline from uv's cache), and the service starts from that
environment alone — not from the workspace — against the real platform: /healthz and
/readyz answer, and SIGTERM stops it within the pod's grace period.
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.k8s import generate
from infra.manifest import ROOT, load
from testkit.platform import Endpoints, as_env, isolated
from testkit.polling import eventually
from testkit.services import free_port

pytestmark = pytest.mark.integration
MANIFEST = load()


def _uv() -> list[str]:
    """uv as the Makefile runs it (`python3 -m uv`), or on PATH."""
    if found := shutil.which("uv"):
        return [found]
    python3 = shutil.which("python3")
    assert python3 is not None
    return [python3, "-m", "uv"]


def _install(distribution: str, target: Path) -> None:
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(target),
        "UV_LINK_MODE": "copy",
        "UV_PYTHON_DOWNLOADS": "never",
    }
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [
            *_uv(),
            "sync",
            "--frozen",
            "--no-dev",
            "--no-editable",
            "--offline",
            "--package",
            distribution,
            # as the Dockerfile: uv keys its cached build of a local project on its
            # pyproject.toml only, so a stale wheel would lack files added since
            "--reinstall-package",
            "mylm-shared",
            "--reinstall-package",
            distribution,
            "--python",
            sys.executable,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _finds(python: Path, module: str) -> bool:
    code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return subprocess.run([python, "-c", code], cwd="/", check=False).returncode == 0


def _site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python3.*/site-packages")
    return found


def _start(python: Path, package: str, cwd: Path, env: dict[str, str], log: Path) -> Any:
    """``python -m package`` in ``cwd`` (like the image's WORKDIR: nothing of the
    workspace importable), with only ``env``, its output in ``log``."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(python), "-m", package],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.parametrize("service", [*MANIFEST.names, generate.PORTAL.name])
async def test_the_locked_dependencies_install_alone_and_the_service_starts_from_them(
    service: str, platform: Endpoints, run_id: str, tmp_path: Path
) -> None:
    """Issue 21 item 1: the image's environment is the lock's, nothing more (no dev
    dependency, the project's code as wheels with its data files), and is enough to run
    the service; it stops on SIGTERM within terminationGracePeriodSeconds minus preStop.
    The member portal too (issue 20: `--build-arg SERVICE=portal`, its templates and CSS
    in the environment)."""
    s = generate.PORTAL if service == generate.PORTAL.name else MANIFEST[service]
    venv = tmp_path / "venv"
    _install(s.distribution, venv)
    python = venv / "bin" / "python"
    site = _site_packages(venv)

    assert _finds(python, s.package) and _finds(python, "mylm_shared")
    assert not _finds(python, "pytest"), "a dev dependency in the service's environment"
    assert not _finds(python, "testkit")
    others = [o.package for o in MANIFEST.services if o.package != s.package]
    assert not any(_finds(python, p) for p in others), "another service's code installed"
    # Non-editable: the code and its data files (templates, texts) live in the environment.
    for source in (ROOT / "shared" / "src", ROOT / s.directory / "src"):
        for path in source.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert (site / path.relative_to(source)).is_file(), path

    port = free_port()
    settings = isolated(platform, run_id, s.name) | {"host": "127.0.0.1", "port": port}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **as_env(settings)}
    log = tmp_path / f"{s.name}.log"
    process = _start(python, s.package, tmp_path, env, log)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as http:

            async def status(path: str) -> int:
                assert process.poll() is None, log.read_text(errors="replace")[-3000:]
                try:
                    return (await http.get(path)).status_code
                except httpx.HTTPError:
                    return 0

            await eventually(
                lambda: status("/healthz"), until=lambda c: c == 200, within=120, what="/healthz"
            )
            await eventually(
                lambda: status("/readyz"), until=lambda c: c == 200, within=60, what="/readyz"
            )
        process.send_signal(signal.SIGTERM)
        grace = generate.TERMINATION_GRACE_SECONDS - generate.PRE_STOP_SECONDS
        # uvicorn re-raises SIGTERM once it has shut down cleanly (exit by the signal)
        assert process.wait(timeout=grace) in (0, -signal.SIGTERM)
        assert "Application shutdown complete." in log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
