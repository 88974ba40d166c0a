"""The gateway as a child process: our own nginx master (Debian's binary, never its system
service) with our configuration, pid and temporary files under ``.cache/``, in the
foreground of ``make run`` (infra/local/run.py) or of a test's slice (testkit/slice.py).
"""

import contextlib
import grp
import os
import pwd
import shutil
import signal
import ssl
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from infra.gateway.config import Layout, render
from infra.gateway.tls import Certificate, ensure_certificate

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "platform"
TLS_DIR = CACHE / "gateway" / "tls"  # shared by make run and the tests: made once
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
STOP_GRACE_SECONDS = 10.0
UNPRIVILEGED = "nobody"


class GatewayError(RuntimeError):
    pass


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((c for c in NGINX_CANDIDATES if os.access(c, os.X_OK)), None)


def platform_layout(upstreams: Mapping[str, int], log_dir: Path | None = None) -> Layout:
    """``make run``'s gateway: :8080 and :8443, logs in the platform's log folder."""
    from infra.local.servers import DEFAULT_DATA_DIR

    cert = Certificate(TLS_DIR)
    return Layout(
        upstreams=dict(upstreams),
        runtime_dir=CACHE / "gateway" / "run",
        log_dir=log_dir or DEFAULT_DATA_DIR / "logs",
        certificate=cert.certificate,
        key=cert.key,
        worker_user=_worker_user(),
    )


def _worker_user() -> str | None:
    """Started as root, nginx's workers run as ``nobody`` (the master keeps root only to
    read the key and open the logs); otherwise as whoever started it."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        return None
    return f"{UNPRIVILEGED} {grp.getgrgid(entry.pw_gid).gr_name}"


class GatewayProcess:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.layout.http_port}"

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.layout.https_port}"

    @property
    def config_path(self) -> Path:
        return self.layout.runtime_dir / "nginx.conf"

    @property
    def ca(self) -> Path:
        """The certificate authority a client trusts for the HTTPS listener."""
        return Certificate(self.layout.certificate.parent).ca

    def prepare(self) -> list[str]:
        """Certificate, folders and configuration; the command that runs the gateway."""
        nginx = nginx_binary()
        if nginx is None:
            raise GatewayError("nginx is not installed (make platform-install installs it)")
        ensure_certificate(self.layout.certificate.parent)
        self.layout.log_dir.mkdir(parents=True, exist_ok=True)
        temp = self.layout.runtime_dir / "temp"
        for name in TEMP_DIRS:
            (temp / name).mkdir(parents=True, exist_ok=True)
            if self.layout.worker_user:  # the workers write request bodies here
                entry = pwd.getpwnam(self.layout.worker_user.split()[0])
                os.chown(temp / name, entry.pw_uid, entry.pw_gid)
        self.config_path.write_text(render(self.layout), encoding="utf-8")
        command = [nginx, "-e", str(self.layout.error_log), "-p", str(self.layout.runtime_dir)]
        command += ["-c", str(self.config_path)]
        check = subprocess.run(
            [*command, "-t", "-q"], capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if check.returncode != 0:
            raise GatewayError(f"nginx -t refused {self.config_path}:\n{check.stderr[-3000:]}")
        return command

    def start(self) -> "GatewayProcess":
        command = self.prepare()
        if shutil.which("setpriv"):  # the master gets SIGTERM when its parent dies
            command = ["setpriv", "--pdeathsig", "TERM", *command]
        log = open(self.layout.error_log, "ab")  # noqa: SIM115 (the child keeps it)
        with log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the workers are stopped with it
            )
        return self

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, within: float = 20.0) -> None:
        """Poll the index page on both listeners until they answer."""
        deadline = time.monotonic() + within
        trusted = ssl.create_default_context(cafile=str(self.ca))
        while True:
            if not self.is_running():
                raise GatewayError(f"the gateway exited; see {self.layout.error_log}")
            try:
                plain = httpx.get(f"{self.url}/api/", timeout=2)
                secure = httpx.get(f"{self.https_url}/api/", timeout=2, verify=trusted)
                if plain.status_code == secure.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise GatewayError(
                    f"the gateway is not answering within {within:.0f}s; "
                    f"see {self.layout.error_log}"
                )
            time.sleep(0.1)

    def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """SIGQUIT (graceful: finish the requests in flight), then the group is killed."""
        if self.process is None:
            return
        group = self.process.pid
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)  # a worker left behind by a killed master
