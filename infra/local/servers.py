#!/usr/bin/env python3
"""Local platform servers: Kafka (KRaft), PostgreSQL, FerretDB (MongoDB wire protocol on
that PostgreSQL), Mailpit, and an OpenID Connect provider standing in for CSAM
(oidc-provider from npm, run by ``oidc/provider.mjs``).

Run inside the workspace environment (`uv run`).  CLI:

    python -m infra.local.servers install
    python -m infra.local.servers up     [--data-dir DIR]
    python -m infra.local.servers down   [--data-dir DIR]
    python -m infra.local.servers status [--data-dir DIR]

Importable: install(), up(data_dir) -> list[str], down(data_dir), status(data_dir).

Everything listens on 127.0.0.1 only.  A server whose port already answers is left
alone; ``down`` stops only the processes this module started (recorded in
``<data_dir>/started.json``).  If KAFKA_BOOTSTRAP_SERVERS / MONGODB_URI / SMTP_URL /
CSAM_ISSUER point to a non-local host, that server is skipped (the external one is used);
MONGODB_URI skips both PostgreSQL and FerretDB.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from infra.local import postgres
from infra.local.targets import ENV_VARS, external_target

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = ROOT / ".cache" / "platform"
BIN = CACHE / "bin"
KAFKA_LIBS = CACHE / "kafka" / "libs"
DEFAULT_DATA_DIR = CACHE / "data" / "dev"
HOST = "127.0.0.1"

KAFKA_PORT, KAFKA_CONTROLLER_PORT = 9092, 9093
MONGO_PORT = 27017
FERRETDB_DEBUG_PORT = 28088
SMTP_PORT, MAILPIT_HTTP_PORT = 1025, 8025
OIDC_PORT = 8009
OIDC_DIR = CACHE / "oidc"  # node_modules of infra/local/oidc/package.json (install.sh)

START_TIMEOUT = {
    "kafka": 180.0,
    "postgres": 60.0,
    "ferretdb": 60.0,
    "mailpit": 60.0,
    "oidc": 60.0,
}
STOP_GRACE = 30.0
LOG_ROTATE_BYTES = 20 * 1024 * 1024

__all__ = ["DEFAULT_DATA_DIR", "SERVERS", "down", "install", "status", "up"]


class PlatformError(RuntimeError):
    pass


def _say(msg: str) -> None:
    print(f"[platform] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- helpers


def _port_open(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 64 * 1024))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(data.splitlines()[-lines:])


def _proc_start_time(pid: int) -> str | None:
    """Kernel start time of pid (guards against pid reuse); None if not running."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":  # zombie
        return None
    return fields[19]


def _alive(pid: int) -> bool:
    try:  # reap our own children (e.g. when up() and down() run in one process)
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    except OSError:
        pass
    if Path("/proc").is_dir():
        return _proc_start_time(pid) is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------- health checks


def _kafka_api_versions(port: int = KAFKA_PORT, timeout: float = 3.0) -> bool:
    """True when the broker answers a metadata request (aiokafka admin client)."""
    if not _port_open(port):
        return False

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=f"{HOST}:{port}", request_timeout_ms=int(timeout * 1000)
        )
        try:
            await asyncio.wait_for(admin.start(), timeout)
            cluster = await asyncio.wait_for(admin.describe_cluster(), timeout)
            return bool(cluster.get("brokers"))
        except Exception:
            return False
        finally:
            with contextlib.suppress(Exception):
                await admin.close()

    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # a refused probe is expected
    return asyncio.run(probe())


def _mongo_ping(port: int = MONGO_PORT, timeout: float = 2.0) -> bool:
    """True when the MongoDB-compatible server answers ``ping``."""
    client: MongoClient[dict[str, Any]] = MongoClient(
        HOST,
        port,
        serverSelectionTimeoutMS=int(timeout * 1000),
        connectTimeoutMS=int(timeout * 1000),
    )
    try:
        return bool(client.admin.command("ping").get("ok") == 1)
    except PyMongoError:
        return False
    finally:
        client.close()


def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(url, timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


# --------------------------------------------------------------------------- server definitions


@dataclass
class Server:
    name: str
    ports: list[int]  # first one is the main (client) port
    env_var: str
    prepare: Callable[[Path], list[str]]  # data_dir -> argv (does one-time setup)
    healthy: Callable[[], bool]
    started_marker: str | None = None  # log line that must appear after our start
    env: dict[str, str] = field(default_factory=dict)
    # once healthy after our start, before the next server starts (it depends on this one)
    configure: Callable[[], None] | None = None
    stop_signal: int = signal.SIGTERM
    signal_group: bool = True  # False: signal the leader only (it stops its children)
    dynamic_env: Callable[[Path], dict[str, str]] | None = None  # data_dir -> extra env

    def log_path(self, data_dir: Path) -> Path:
        return data_dir / "logs" / f"{self.name}.log"


def _kafka_cluster_id(kdir: Path) -> str:
    f = kdir / "cluster.id"
    if f.exists():
        return f.read_text().strip()
    while True:  # Kafka's Uuid string form: url-safe base64 of 16 bytes, no padding
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cid.startswith("-"):
            break
    f.write_text(cid + "\n")
    return cid


def _java() -> str:
    jh = os.environ.get("JAVA_HOME")
    if jh and (Path(jh) / "bin" / "java").exists():
        return str(Path(jh) / "bin" / "java")
    return "java"


def _prepare_kafka(data_dir: Path) -> list[str]:
    if not any(KAFKA_LIBS.glob("kafka_2.13-*.jar")):
        raise PlatformError(
            f"Kafka is not installed in {KAFKA_LIBS}; run: python {__file__} install"
        )
    kdir = data_dir / "kafka"
    logdir = kdir / "data"
    logdir.mkdir(parents=True, exist_ok=True)
    props = kdir / "server.properties"
    props.write_text(
        f"""# generated by infra/platform/servers.py -- edits are overwritten on `up`
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@{HOST}:{KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://{HOST}:{KAFKA_PORT},CONTROLLER://{HOST}:{KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://{HOST}:{KAFKA_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={logdir}
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
"""
    )
    log4j = kdir / "log4j2.properties"
    log4j.write_text(
        """# generated by infra/platform/servers.py
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = info
logger.state.name = state.change.logger
logger.state.level = warn
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.log.name = org.apache.kafka.storage.internals.log
logger.log.level = warn
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = warn
"""
    )
    java = _java()
    cp = f"{KAFKA_LIBS}/*"
    jvm = [
        java,
        "-Xms256m",
        "-Xmx512m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:+ExplicitGCInvokesConcurrent",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={log4j}",
        f"-Dkafka.logs.dir={data_dir / 'logs'}",
        "-cp",
        cp,
    ]
    if not (logdir / "meta.properties").exists():
        cid = _kafka_cluster_id(kdir)
        _say(f"kafka: formatting storage in {logdir} (cluster id {cid})")
        r = subprocess.run(
            [*jvm, "kafka.tools.StorageTool", "format", *("-t", cid, "-c", str(props))],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if r.returncode != 0:
            raise PlatformError(
                f"kafka storage format failed (exit {r.returncode}):\n{r.stdout[-4000:]}"
            )
    return [*jvm, "kafka.Kafka", str(props)]


def _prepare_postgres(data_dir: Path) -> list[str]:
    pgdir = data_dir / "postgres"
    try:
        if postgres.init_cluster(pgdir, data_dir / "logs" / "postgres-initdb.log"):
            _say(f"postgres: initialised cluster in {pgdir}")
        return postgres.server_argv(pgdir)
    except postgres.PostgresError as e:
        raise PlatformError(f"postgres: {e}") from e


def _configure_postgres() -> None:
    try:
        postgres.configure()
    except postgres.PostgresError as e:
        raise PlatformError(f"postgres: {e}") from e


def ferretdb_argv(
    data_dir: Path,
    backend: list[str],
    port: int = MONGO_PORT,
    debug_port: int = FERRETDB_DEBUG_PORT,
) -> list[str]:
    """FerretDB on the given backend flags (also used by bench/store_probe.py)."""
    exe = BIN / "ferretdb"
    if not exe.exists():
        raise PlatformError(f"FerretDB is not installed ({exe}); run: python {__file__} install")
    state = data_dir / "ferretdb-state"
    state.mkdir(parents=True, exist_ok=True)
    return [
        str(exe),
        f"--listen-addr={HOST}:{port}",
        *backend,
        f"--state-dir={state}",
        "--telemetry=disable",
        f"--debug-addr={HOST}:{debug_port}",  # /debug/metrics for pool and load
        "--log-level=warn",
    ]


def _prepare_ferretdb(data_dir: Path) -> list[str]:
    backend = ["--handler=postgresql", f"--postgresql-url={postgres.ferretdb_url()}"]
    return ferretdb_argv(data_dir, backend)


def _prepare_mailpit(data_dir: Path) -> list[str]:
    exe = BIN / "mailpit"
    if not exe.exists():
        raise PlatformError(f"Mailpit is not installed ({exe}); run: python {__file__} install")
    return [
        str(exe),
        f"--listen={HOST}:{MAILPIT_HTTP_PORT}",
        f"--smtp={HOST}:{SMTP_PORT}",
        f"--database={data_dir / 'mailpit.db'}",
        "--disable-version-check",
        "--max=100000",  # keep every e-mail of a test or benchmark run (default: 500)
        "--smtp-auth-accept-any",
        "--smtp-auth-allow-insecure",
        "--smtp-disable-rdns",
        "--block-remote-css-and-fonts",
    ]


def _prepare_oidc(data_dir: Path) -> list[str]:
    """The provider script runs from next to its node_modules (Node resolves packages
    from the script's folder), so the committed script is copied there on each start."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        raise PlatformError(
            f"oidc-provider is not installed ({OIDC_DIR}); run: python {__file__} install"
        )
    shutil.copy2(HERE / "oidc" / "provider.mjs", OIDC_DIR / "provider.mjs")
    return ["node", str(OIDC_DIR / "provider.mjs")]


def _oidc_env(data_dir: Path) -> dict[str, str]:
    return {
        "OIDC_PORT": str(OIDC_PORT),
        "OIDC_ISSUER": f"http://{HOST}:{OIDC_PORT}",
        "OIDC_STATE_DIR": str(data_dir / "oidc"),
        "NODE_ENV": "development",
    }


SERVERS: list[Server] = [
    Server(
        name="kafka",
        ports=[KAFKA_PORT, KAFKA_CONTROLLER_PORT],
        env_var=ENV_VARS["kafka"],
        prepare=_prepare_kafka,
        healthy=_kafka_api_versions,
        started_marker="Kafka Server started",
    ),
    Server(
        name="postgres",
        ports=[postgres.PORT],
        env_var=ENV_VARS["postgres"],
        prepare=_prepare_postgres,
        healthy=postgres.ready,
        configure=_configure_postgres,
        stop_signal=signal.SIGINT,  # fast shutdown: ends sessions, checkpoints, exits
        signal_group=False,
    ),
    Server(
        name="ferretdb",
        ports=[MONGO_PORT],
        env_var=ENV_VARS["ferretdb"],
        prepare=_prepare_ferretdb,
        healthy=_mongo_ping,
        env={"FERRETDB_TELEMETRY": "disable", "DO_NOT_TRACK": "1"},
    ),
    Server(
        name="mailpit",
        ports=[MAILPIT_HTTP_PORT, SMTP_PORT],
        env_var=ENV_VARS["mailpit"],
        prepare=_prepare_mailpit,
        healthy=lambda: (
            _http_ok(f"http://{HOST}:{MAILPIT_HTTP_PORT}/api/v1/info") and _port_open(SMTP_PORT)
        ),
    ),
    Server(
        name="oidc",
        ports=[OIDC_PORT],
        env_var=ENV_VARS["oidc"],
        prepare=_prepare_oidc,
        healthy=lambda: _http_ok(f"http://{HOST}:{OIDC_PORT}/.well-known/openid-configuration"),
        dynamic_env=_oidc_env,
    ),
]


def _external_target(server: Server) -> str | None:
    """The env var's value if it points to a non-local host (so we skip this server)."""
    return external_target(server.env_var)


# --------------------------------------------------------------------------- state file


def _state_path(data_dir: Path) -> Path:
    return data_dir / "started.json"


def _load_state(data_dir: Path) -> dict[str, Any]:
    p = _state_path(data_dir)
    try:
        loaded: dict[str, Any] = json.loads(p.read_text())
        return loaded
    except (OSError, ValueError):
        return {}


def _save_state(data_dir: Path, state: dict[str, Any]) -> None:
    p = _state_path(data_dir)
    if not state:
        p.unlink(missing_ok=True)
        return
    tmp = p.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    tmp.replace(p)


def _entry_alive(entry: dict[str, Any]) -> bool:
    pid = int(entry["pid"])
    if not _alive(pid):
        return False
    st = entry.get("start_time")
    return st is None or _proc_start_time(pid) in (None, st)


# --------------------------------------------------------------------------- public API


def install() -> None:
    """Run install.sh (idempotent; quick no-op when everything is installed)."""
    r = subprocess.run(["bash", str(HERE / "install.sh")], stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise PlatformError(f"install.sh failed (exit {r.returncode})")


def _resolve(data_dir: str | os.PathLike[str] | None) -> Path:
    return Path(data_dir).expanduser().resolve() if data_dir else DEFAULT_DATA_DIR


def _start(server: Server, data_dir: Path) -> dict[str, Any]:
    argv = server.prepare(data_dir)
    logp = server.log_path(data_dir)
    logp.parent.mkdir(parents=True, exist_ok=True)
    if logp.exists() and logp.stat().st_size > LOG_ROTATE_BYTES:
        logp.replace(logp.with_suffix(".log.1"))
    env = dict(os.environ)
    env.update(server.env)
    if server.dynamic_env is not None:
        env.update(server.dynamic_env(data_dir))
    with open(logp, "ab") as logf:
        logf.write(
            f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {server.name}: "
            f"{' '.join(argv)}\n".encode()
        )
        logf.flush()
        offset = logf.tell()
        proc = subprocess.Popen(
            argv,
            cwd=str(data_dir),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own session + process group, survives our exit
        )
    return {
        "pid": proc.pid,
        "pgid": proc.pid,
        "start_time": _proc_start_time(proc.pid),
        "ports": server.ports,
        "stop_signal": int(server.stop_signal),
        "signal_group": server.signal_group,
        "log": str(logp),
        "log_offset": offset,
        "argv": argv,
        "started_at": time.time(),
    }


def _marker_seen(logp: Path, offset: int, marker: str) -> bool:
    try:
        with open(logp, "rb") as f:
            f.seek(offset)
            return marker.encode() in f.read()
    except OSError:
        return False


def _wait_healthy(server: Server, data_dir: Path, entry: dict[str, Any] | None) -> None:
    timeout = START_TIMEOUT[server.name]
    deadline = time.monotonic() + timeout
    logp = server.log_path(data_dir)
    while True:
        ok = server.healthy()
        if ok and entry and server.started_marker:
            ok = _marker_seen(logp, entry["log_offset"], server.started_marker)
        if ok:
            return
        if entry and not _entry_alive(entry):
            raise PlatformError(
                f"{server.name} exited during start-up (pid {entry['pid']}). "
                f"Tail of {logp}:\n{_tail(logp)}"
            )
        if time.monotonic() > deadline:
            what = (
                f"{server.name} (pid {entry['pid']})"
                if entry
                else f"{server.name} (not started by us)"
            )
            raise PlatformError(
                f"{what} not healthy after {timeout:.0f}s on port(s) {server.ports}. "
                f"Tail of {logp}:\n{_tail(logp)}"
            )
        time.sleep(0.5)


def up(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Start the servers that are not already answering; return the names started here."""
    ddir = _resolve(data_dir)
    (ddir / "logs").mkdir(parents=True, exist_ok=True)
    state = _load_state(ddir)
    state = {k: v for k, v in state.items() if _entry_alive(v)}
    started: list[str] = []
    to_check: list[tuple[Server, dict[str, Any] | None]] = []
    try:
        for srv in SERVERS:
            ext = _external_target(srv)
            if ext:
                _say(f"{srv.name}: skipped, {srv.env_var}={ext} is external")
                continue
            if _port_open(srv.ports[0]):
                _say(f"{srv.name}: already running on {HOST}:{srv.ports[0]}, left alone")
                to_check.append((srv, None))
                continue
            busy = [p for p in srv.ports[1:] if _port_open(p)]
            if busy:
                raise PlatformError(f"{srv.name}: port(s) {busy} already in use by something else")
            entry = _start(srv, ddir)
            state[srv.name] = entry
            _save_state(ddir, state)
            started.append(srv.name)
            _say(f"{srv.name}: started pid {entry['pid']} (log {entry['log']})")
            if srv.configure is None:
                to_check.append((srv, entry))
                continue
            _wait_healthy(srv, ddir, entry)
            srv.configure()
            _say(f"{srv.name}: healthy and configured on {HOST}:{srv.ports[0]}")
        for srv, maybe_ours in to_check:
            _wait_healthy(srv, ddir, maybe_ours)
            _say(f"{srv.name}: healthy on {', '.join(f'{HOST}:{p}' for p in srv.ports)}")
    finally:
        _save_state(ddir, state)
    return started


def _stop_entry(name: str, entry: dict[str, Any]) -> None:
    pid, pgid = int(entry["pid"]), int(entry.get("pgid", entry["pid"]))
    if not _entry_alive(entry):
        _say(f"{name}: pid {pid} already gone")
    else:
        sig = signal.Signals(int(entry.get("stop_signal", signal.SIGTERM)))
        group = bool(entry.get("signal_group", True))
        _say(f"{name}: stopping pid {pid} ({sig.name} to {'process group' if group else 'pid'})")
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(pgid, sig)
            else:
                os.kill(pid, sig)
        deadline = time.monotonic() + STOP_GRACE
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            _say(f"{name}: still alive after {STOP_GRACE:.0f}s, SIGKILL")
        # also catches stray group members once the leader is gone
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL if _alive(pid) else signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            raise PlatformError(f"{name}: pid {pid} did not exit even after SIGKILL")
    deadline = time.monotonic() + 15
    ports = entry.get("ports", [])
    while any(_port_open(p) for p in ports):
        if time.monotonic() > deadline:
            raise PlatformError(
                f"{name}: port(s) {[p for p in ports if _port_open(p)]} still in use after stop"
            )
        time.sleep(0.2)


def down(data_dir: str | os.PathLike[str] | None = None) -> None:
    """Stop only the processes recorded in <data_dir>/started.json."""
    ddir = _resolve(data_dir)
    state = _load_state(ddir)
    if not state:
        _say(f"nothing recorded in {_state_path(ddir)}; nothing to stop")
        return
    errors = []
    # reverse start order: oidc, mailpit, ferretdb, postgres, kafka
    order = [s.name for s in reversed(SERVERS)]
    for name in sorted(state, key=lambda n: order.index(n) if n in order else -1):
        try:
            _stop_entry(name, state[name])
            del state[name]
            _save_state(ddir, state)
        except PlatformError as e:
            errors.append(str(e))
    if errors:
        raise PlatformError("; ".join(errors))
    _say("all stopped")


def status(data_dir: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any]]:
    """Report each server: external / port open / healthy / pid we started."""
    ddir = _resolve(data_dir)
    state = _load_state(ddir)
    out: dict[str, dict[str, Any]] = {}
    for srv in SERVERS:
        ext = _external_target(srv)
        entry = state.get(srv.name)
        info = {
            "external": ext,
            "ports": {p: _port_open(p) for p in srv.ports},
            "healthy": None if ext else srv.healthy(),
            "pid": int(entry["pid"]) if entry and _entry_alive(entry) else None,
        }
        out[srv.name] = info
    return out


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help="install/build the servers into .cache/platform (idempotent)")
    for name, hlp in (
        ("up", "start the servers"),
        ("down", "stop the servers we started"),
        ("status", "show state"),
    ):
        p = sub.add_parser(name, help=hlp)
        p.add_argument(
            "--data-dir", default=None, help=f"data directory (default {DEFAULT_DATA_DIR})"
        )
    args = ap.parse_args(argv)
    try:
        if args.cmd == "install":
            install()
        elif args.cmd == "up":
            started = up(args.data_dir)
            _say(f"up: started {', '.join(started) if started else 'nothing new'}")
        elif args.cmd == "down":
            down(args.data_dir)
        elif args.cmd == "status":
            for name, info in status(args.data_dir).items():
                if info["external"]:
                    print(f"{name:9} external ({info['external']})")
                    continue
                ports = " ".join(
                    f"{p}:{'open' if o else 'closed'}" for p, o in info["ports"].items()
                )
                pid = f"pid {info['pid']} (ours)" if info["pid"] else "not started by us"
                print(f"{name:9} {'healthy' if info['healthy'] else 'DOWN   '}  {ports}  {pid}")
    except PlatformError as e:
        print(f"[platform] ERROR: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
