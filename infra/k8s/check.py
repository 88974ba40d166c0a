"""`make k8s-check` (issue 21 item 4): every overlay rendered, validated, and applied to a real
Kubernetes API server.

For each overlay under infra/k8s/overlays/ (or the directories given):

1. ``kustomize build`` renders it;
2. ``kubeconform -strict`` validates every object offline against the Kubernetes schemas
   (PyPI's kubernetes-validate) and the CRD schemas (Strimzi, prometheus-operator); an object
   without a schema is an error, not a skip;
3. a real etcd + kube-apiserver, started here on loopback only (free ports, a temporary data
   directory, a self-signed serving certificate, a static token), gets the Strimzi and
   prometheus-operator CRDs (waited for until Established) and the overlay's namespaces, and
   ``kubectl apply --dry-run=server`` must accept every object (with the server's strict
   field validation). The servers are stopped however the check ends.

The tools come from .cache/k8s (infra/k8s/install.sh). Exit status 0 when every overlay
passes, 1 when one fails (each failing object is named), 2 when the check cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "k8s"
OVERLAYS = ROOT / "infra" / "k8s" / "overlays"
READY_TIMEOUT_S = 180.0
TOKEN = "k8s-check-admin-token"  # noqa: S105 - a throwaway token of a loopback test server


class CheckError(RuntimeError):
    """The check cannot run (a tool missing, a server that does not start)."""


@dataclass(frozen=True)
class Tools:
    cache: Path = CACHE

    def bin(self, name: str) -> str:
        path = self.cache / "bin" / name
        if not os.access(path, os.X_OK):
            raise CheckError(
                f"{path} missing: run `bash infra/k8s/install.sh` (make k8s-check does)"
            )
        return str(path)

    @property
    def k8s_schemas(self) -> Path:
        return self.cache / "schemas" / "k8s"

    @property
    def crd_schemas(self) -> Path:
        return self.cache / "schemas" / "crds"

    @property
    def crds(self) -> list[Path]:
        files = sorted((self.cache / "crds").glob("*/*.yaml"))
        if not files:
            raise CheckError(f"no CRDs in {self.cache / 'crds'}: run `bash infra/k8s/install.sh`")
        return files


@dataclass
class Result:
    overlay: str
    failures: list[str] = field(default_factory=list)
    objects: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def _run(
    cmd: Sequence[str], *, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(cmd), input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )


# ------------------------------------------------------------------ render + offline validation
def render(tools: Tools, overlay: Path) -> str:
    """The overlay's objects as kustomize renders them (CheckError with its message if not)."""
    proc = _run([tools.bin("kustomize"), "build", str(overlay)])
    if proc.returncode != 0:
        raise CheckError(f"kustomize build {overlay} failed:\n{proc.stderr.strip()}")
    return proc.stdout


def count_objects(rendered: str) -> int:
    return len(re.findall(r"^kind: ", rendered, flags=re.MULTILINE))


def _crd_versions(tools: Tools) -> str:
    found = sorted(
        f"{p.parent.name}/{p.stem.rsplit('_', 1)[1]} {p.stem.rsplit('_', 1)[0]}"
        for p in tools.crd_schemas.glob("*/*.json")
    )
    return ", ".join(found)


def validate(tools: Tools, rendered: str, label: str) -> list[str]:
    """kubeconform -strict against the Kubernetes and CRD schemas; one line per bad object."""
    with tempfile.TemporaryDirectory(prefix="k8s-check-") as tmp:
        manifest = Path(tmp) / f"{label}.yaml"
        manifest.write_text(rendered, encoding="utf-8")
        proc = _run(
            [
                tools.bin("kubeconform"),
                "-strict",
                "-output",
                "json",
                "-schema-location",
                f"{tools.k8s_schemas}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json",
                "-schema-location",
                f"{tools.crd_schemas}/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_"
                "{{ .ResourceAPIVersion }}.json",
                str(manifest),
            ]
        )
    try:
        report = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    failures = []
    for res in report.get("resources") or []:
        if res.get("status") in ("statusValid", "statusEmpty"):
            continue
        msg = (
            str(res.get("msg", ""))
            .replace("problem validating schema. Check JSON formatting: ", "")
            .replace(f"file://{tools.cache}/", ".cache/k8s/")
        )
        if "could not find schema" in msg:
            msg += f" (schemas exist for the built-in kinds and for: {_crd_versions(tools)})"
        failures.append(f"{res.get('kind')}/{res.get('name')} ({res.get('version')}): {msg}")
    if proc.returncode != 0 and not failures:
        failures.append(f"kubeconform failed: {(proc.stderr or proc.stdout).strip()}")
    return failures


def namespaces_of(rendered: str) -> list[str]:
    """The namespaces the rendered objects live in (kustomize writes metadata at 2 spaces)."""
    return sorted(set(re.findall(r"^  namespace: ['\"]?([a-z0-9-]+)['\"]?$", rendered, re.M)))


# ------------------------------------------------------------------ the API server
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes], name: str) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        print(f"k8s-check: {name} did not stop on SIGTERM, killing it", file=sys.stderr)
        proc.kill()
        proc.wait(timeout=10)


class ApiServer:
    """etcd + kube-apiserver on loopback, and kubectl against them."""

    def __init__(self, tools: Tools, workdir: Path) -> None:
        self.tools = tools
        self.dir = workdir
        self.kubeconfig = workdir / "kubeconfig"
        self.port = 0

    def kubectl(
        self, *args: str, stdin: str | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return _run(
            [self.tools.bin("kubectl"), f"--kubeconfig={self.kubeconfig}", *args],
            stdin=stdin,
            timeout=timeout,
        )

    def _keys(self) -> tuple[Path, Path, Path]:
        pki = self.dir / "pki"
        pki.mkdir()
        cert, key, sa = pki / "serving.crt", pki / "serving.key", pki / "sa.key"
        for cmd in (
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=k8s-check",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            [
                "openssl",
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                str(sa),
            ],
        ):
            proc = _run(cmd, timeout=60)
            if proc.returncode != 0:
                raise CheckError(f"{' '.join(cmd[:3])} failed: {proc.stderr.strip()}")
        return cert, key, sa

    @contextmanager
    def running(self) -> Iterator[ApiServer]:
        cert, key, sa = self._keys()
        (self.dir / "tokens.csv").write_text(f"{TOKEN},k8s-check,k8s-check,system:masters\n")
        etcd_client, etcd_peer, self.port = _free_port(), _free_port(), _free_port()
        procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        etcd_log = (self.dir / "etcd.log").open("wb")
        api_log = (self.dir / "kube-apiserver.log").open("wb")
        try:
            procs.append(
                (
                    "etcd",
                    subprocess.Popen(
                        [
                            self.tools.bin("etcd"),
                            "--name=k8s-check",
                            f"--data-dir={self.dir / 'etcd'}",
                            f"--listen-client-urls=http://127.0.0.1:{etcd_client}",
                            f"--advertise-client-urls=http://127.0.0.1:{etcd_client}",
                            f"--listen-peer-urls=http://127.0.0.1:{etcd_peer}",
                            f"--initial-advertise-peer-urls=http://127.0.0.1:{etcd_peer}",
                            f"--initial-cluster=k8s-check=http://127.0.0.1:{etcd_peer}",
                            "--log-level=warn",
                            "--quota-backend-bytes=1073741824",
                            "--unsafe-no-fsync",
                        ],
                        stdout=etcd_log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    ),
                )
            )
            procs.append(
                (
                    "kube-apiserver",
                    subprocess.Popen(
                        [
                            self.tools.bin("kube-apiserver"),
                            f"--etcd-servers=http://127.0.0.1:{etcd_client}",
                            "--bind-address=127.0.0.1",
                            "--advertise-address=127.0.0.1",
                            f"--secure-port={self.port}",
                            f"--tls-cert-file={cert}",
                            f"--tls-private-key-file={key}",
                            f"--cert-dir={self.dir / 'certs'}",
                            f"--token-auth-file={self.dir / 'tokens.csv'}",
                            "--authorization-mode=AlwaysAllow",
                            "--anonymous-auth=false",
                            f"--service-account-key-file={sa}",
                            f"--service-account-signing-key-file={sa}",
                            "--service-account-issuer=https://kubernetes.default.svc",
                            "--service-cluster-ip-range=10.96.0.0/16",
                            "--profiling=false",
                            "--enable-priority-and-fairness=false",
                            "--v=1",
                        ],
                        stdout=api_log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    ),
                )
            )
            self.kubeconfig.write_text(
                json.dumps(
                    {
                        "apiVersion": "v1",
                        "kind": "Config",
                        "clusters": [
                            {
                                "name": "k8s-check",
                                "cluster": {
                                    "server": f"https://127.0.0.1:{self.port}",
                                    "certificate-authority": str(cert),
                                },
                            }
                        ],
                        "users": [{"name": "k8s-check", "user": {"token": TOKEN}}],
                        "contexts": [
                            {
                                "name": "k8s-check",
                                "context": {"cluster": "k8s-check", "user": "k8s-check"},
                            }
                        ],
                        "current-context": "k8s-check",
                    }
                )
            )
            self._wait_ready(cert, procs)
            yield self
        finally:
            for name, proc in reversed(procs):
                _stop(proc, name)
            etcd_log.close()
            api_log.close()

    def _wait_ready(self, cert: Path, procs: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
        ctx = ssl.create_default_context(cafile=str(cert))
        url = f"https://127.0.0.1:{self.port}/readyz"
        deadline = time.monotonic() + READY_TIMEOUT_S
        last = "no answer yet"
        while time.monotonic() < deadline:
            for name, proc in procs:
                if proc.poll() is not None:
                    raise CheckError(f"{name} exited ({proc.returncode}):\n{self.log_tail(name)}")
            req = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
            try:
                with urllib.request.urlopen(req, context=ctx, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
            except (OSError, ssl.SSLError) as exc:
                last = str(exc)
            time.sleep(0.5)  # polling interval of the readiness loop, bounded by the deadline
        raise CheckError(
            f"kube-apiserver not ready within {READY_TIMEOUT_S:.0f}s ({last}):\n"
            f"{self.log_tail('kube-apiserver')}"
        )

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.dir / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def install_crds(self) -> None:
        files = self.tools.crds
        args = [arg for f in files for arg in ("-f", str(f))]
        # create, not apply: the CRDs are larger than apply's last-applied annotation allows
        proc = self.kubectl("create", *args)
        if proc.returncode != 0:
            raise CheckError(f"installing the CRDs failed:\n{proc.stderr.strip()}")
        proc = self.kubectl(
            "wait", "--for=condition=Established", "--timeout=120s", "crd", "--all", timeout=150
        )
        if proc.returncode != 0:
            raise CheckError(f"the CRDs did not become Established:\n{proc.stderr.strip()}")

    def ensure_namespaces(self, names: Sequence[str]) -> None:
        for ns in names:
            proc = self.kubectl("create", "namespace", ns)
            if proc.returncode != 0 and "AlreadyExists" not in proc.stderr:
                raise CheckError(f"creating namespace {ns} failed:\n{proc.stderr.strip()}")

    def dry_run(self, rendered: str) -> list[str]:
        """kubectl apply --dry-run=server; one line per object the server refuses."""
        self.ensure_namespaces(namespaces_of(rendered))
        proc = self.kubectl(
            "apply", "--dry-run=server", "--validate=strict", "-f", "-", stdin=rendered
        )
        if proc.returncode == 0:
            return []
        failures = [line for line in proc.stderr.splitlines() if line.strip()]
        return failures or [f"kubectl apply exited {proc.returncode}"]


# ------------------------------------------------------------------ the whole check
def overlays_under(root: Path = OVERLAYS) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/kustomization.yaml"))


def check(
    overlays: Sequence[Path], *, tools: Tools | None = None, server: bool = True
) -> list[Result]:
    tools = tools or Tools()
    results: list[Result] = []
    rendered: dict[str, str] = {}
    for overlay in overlays:
        label = overlay.name
        result = Result(label)
        results.append(result)
        t0 = time.monotonic()
        try:
            text = render(tools, overlay)
        except CheckError as exc:
            result.failures.append(str(exc))
            continue
        result.objects = count_objects(text)
        result.failures.extend(f"kubeconform: {f}" for f in validate(tools, text, label))
        rendered[label] = text
        print(
            f"k8s-check: {label}: rendered {result.objects} objects, kubeconform "
            f"{'ok' if result.ok else 'FAILED'} ({time.monotonic() - t0:.1f}s)",
            flush=True,
        )
    if not server or not rendered:
        return results
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="k8s-check-api-") as tmp:
        api = ApiServer(tools, Path(tmp))
        with api.running():
            api.install_crds()
            print(
                f"k8s-check: etcd + kube-apiserver ready, CRDs Established "
                f"({time.monotonic() - t0:.1f}s)",
                flush=True,
            )
            for result in results:
                if result.overlay not in rendered:
                    continue
                t1 = time.monotonic()
                failures = api.dry_run(rendered[result.overlay])
                result.failures.extend(f"kube-apiserver: {f}" for f in failures)
                print(
                    f"k8s-check: {result.overlay}: kubectl apply --dry-run=server "
                    f"{'FAILED' if failures else 'ok'} ({time.monotonic() - t1:.1f}s)",
                    flush=True,
                )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="k8s-check", description=__doc__.split("\n\n")[0])
    parser.add_argument("overlays", nargs="*", type=Path, help="default: infra/k8s/overlays/*")
    parser.add_argument("--offline", action="store_true", help="render + kubeconform only")
    args = parser.parse_args(argv)
    overlays = list(args.overlays) or overlays_under()
    if not overlays:
        print(f"k8s-check: no overlay under {OVERLAYS}", file=sys.stderr)
        return 2
    start = time.monotonic()
    # a SIGTERM (CI's timeout, make interrupted) unwinds like Ctrl-C: the servers are stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        results = check(overlays, server=not args.offline)
    except (CheckError, subprocess.TimeoutExpired) as exc:
        print(f"k8s-check: ERROR: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in results if not r.ok]
    for r in failed:  # on stdout, in order with the progress lines
        print(f"\nk8s-check: overlay {r.overlay} FAILED:")
        for line in r.failures:
            print(f"  {line}")
    total = sum(r.objects for r in results)
    print(
        f"k8s-check: {len(results) - len(failed)} passed, {len(failed)} failed "
        f"({total} objects, {time.monotonic() - start:.1f}s)",
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
