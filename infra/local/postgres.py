"""FerretDB's PostgreSQL: a cluster of the platform's own, under the data dir.

PostgreSQL refuses to run as root: when we are root (CI, containers) the cluster belongs
to the ``postgres`` OS user (created by Debian's package) and its processes run as that
user; otherwise as the current user.  The cluster listens on 127.0.0.1 only, with its
unix socket in its own directory (so it never meets a system cluster), and every start
runs postgres.sql (role, database, GIN indexes; idempotent).
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETUP_SQL = HERE / "postgres.sql"
HOST = "127.0.0.1"
PORT = 5433  # not 5432: a system cluster may be there
# FerretDB's pool: an update holds its find's connection while it takes a second one, so
# with fewer than 2 connections per concurrent update FerretDB can deadlock for good
# (seen with 8 for 16 clients); keep it >= 2x the clients' total.  Idle ones close
# after a minute.
FERRETDB_POOL = 300
MAX_CONNECTIONS = FERRETDB_POOL + 40  # + superuser, setup, autovacuum and slack
OS_USER = "postgres"
SOCKET_PATH_MAX = 100  # sun_path is 108 bytes; the socket is <dir>/.s.PGSQL.<port>


class PostgresError(RuntimeError):
    pass


def binary(name: str) -> Path | None:
    """A PostgreSQL program: Debian keeps them in /usr/lib/postgresql/<major>/bin."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return debian[-1]
    found = shutil.which(name)
    return Path(found) if found else None


def _need(name: str) -> str:
    exe = binary(name)
    if exe is None:
        raise PostgresError(
            f"PostgreSQL's {name} not found (Debian: apt-get install postgresql); "
            "run: python -m infra.local.servers install"
        )
    return str(exe)


def _db_user() -> pwd.struct_passwd | None:
    """The OS user the cluster runs as when we are root; None: run as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(OS_USER)
    except KeyError:
        raise PostgresError(
            f"running as root, but there is no '{OS_USER}' OS user to run PostgreSQL as "
            "(Debian's postgresql package creates it)"
        ) from None


def as_db_user(argv: list[str]) -> list[str]:
    user = _db_user()
    if user is None:
        return argv
    return [
        "setpriv",
        f"--reuid={user.pw_uid}",
        f"--regid={user.pw_gid}",
        "--init-groups",
        *argv,
    ]


def _make_reachable(path: Path, user: pwd.struct_passwd) -> None:
    """Let the db user traverse every ancestor of path (o+x where it could not)."""
    groups = set(os.getgrouplist(user.pw_name, user.pw_gid))
    for parent in reversed(path.parents):
        st = parent.stat()
        if st.st_uid == user.pw_uid:
            ok = bool(st.st_mode & stat.S_IXUSR)
        elif st.st_gid in groups:
            ok = bool(st.st_mode & stat.S_IXGRP)
        else:
            ok = bool(st.st_mode & stat.S_IXOTH)
        if not ok:
            os.chmod(parent, st.st_mode | stat.S_IXOTH)


def init_cluster(pgdir: Path, log: Path) -> bool:
    """initdb once (True when it ran); locale C.UTF-8, trust on loopback only."""
    if (pgdir / "PG_VERSION").exists():
        return False
    initdb = _need("initdb")
    pgdir.mkdir(parents=True, exist_ok=True)
    pgdir.chmod(0o700)
    user = _db_user()
    if user is not None:
        os.chown(pgdir, user.pw_uid, user.pw_gid)
        _make_reachable(pgdir, user)
    with open(log, "ab") as out:
        r = subprocess.run(
            as_db_user(
                [
                    initdb,
                    f"--pgdata={pgdir}",
                    "--username=postgres",
                    "--locale=C.UTF-8",
                    "--encoding=UTF8",
                    "--auth=trust",  # 127.0.0.1 and the socket in pgdir only, like the others
                    "--no-instructions",
                ]
            ),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=pgdir,
        )
    if r.returncode != 0:
        raise PostgresError(f"initdb failed (exit {r.returncode}); see {log}")
    return True


def server_argv(pgdir: Path, port: int = PORT) -> list[str]:
    postgres = _need("postgres")
    socket_dir = str(pgdir) if len(f"{pgdir}/.s.PGSQL.{port}") <= SOCKET_PATH_MAX else ""
    settings = {
        "listen_addresses": HOST,
        "port": port,
        "unix_socket_directories": socket_dir,  # '' (TCP only) when the path is too long
        "max_connections": MAX_CONNECTIONS,
        "jit": "off",  # FerretDB's queries are small; JIT compilation only costs
        "log_checkpoints": "off",
        "timezone": "UTC",
    }
    return as_db_user([postgres, "-D", str(pgdir), *(f"-c{k}={v}" for k, v in settings.items())])


def ready(port: int = PORT) -> bool:
    """True when the server accepts connections."""
    pg_isready = binary("pg_isready")
    if pg_isready is None:
        return False
    argv = [str(pg_isready), "-q", "-t", "2", "-h", HOST, "-p", str(port)]
    argv += ["-U", "postgres", "-d", "postgres"]  # else it logs "role root does not exist"
    return subprocess.run(argv, stdin=subprocess.DEVNULL).returncode == 0


def configure(port: int = PORT, gin_indexes: bool = True) -> None:
    """Run postgres.sql as the superuser (idempotent)."""
    argv = [_need("psql"), "-X", "-q", "-h", HOST, "-p", str(port), "-U", "postgres"]
    argv += ["-d", "postgres", "-v", f"gin={'on' if gin_indexes else 'off'}", "-f", str(SETUP_SQL)]
    r = subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )
    if r.returncode != 0:
        raise PostgresError(f"{SETUP_SQL.name} failed (exit {r.returncode}):\n{r.stderr[-4000:]}")


def ferretdb_url(port: int = PORT, pool: int = FERRETDB_POOL) -> str:
    return (
        f"postgres://ferretdb@{HOST}:{port}/ferretdb"
        f"?pool_max_conns={pool}&pool_max_conn_idle_time=1m"
    )
