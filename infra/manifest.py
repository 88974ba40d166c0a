"""The services manifest (``services.toml`` at the repository root, issue 17 item 5): which
services the platform has, where they live, their contract ports and databases, and the
topics they produce and consume.

Read by ``make run`` (infra/local/run.py), the e2e slice and the benchmark
(testkit/slice.py), the contract tests and the authorization matrix, and the docs'
tables. Standard library only, so anything can import it without FastAPI, Kafka or
Mongo; it lives in ``infra`` because infra/local and testkit (which already imports
infra) both read it. ``shared/tests/unit/test_services_manifest.py`` checks it against
the workspace, each service's settings and ``ServiceDefinition``, and the event catalogue.

Refresh the generated tables in the docs after changing the manifest::

    python3 -m uv run --frozen python -m infra.manifest --write
"""

import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "services.toml"
LOCALHOST = "127.0.0.1"
# Docs holding a generated table: the text between the markers is rewritten by --write.
TABLES = {
    ROOT / "docs" / "architecture.md": "services",
    ROOT / "docs" / "adding-a-service.md": "services",
}
KEYS = {"name", "directory", "package", "port", "database", "produces", "consumes"}
OPTIONAL = {"direct", "urls"}


class ManifestError(ValueError):
    """services.toml is malformed (a missing or unknown key, a wrong type)."""


@dataclass(frozen=True)
class Service:
    name: str
    directory: str
    package: str
    port: int
    database: str
    produces: tuple[str, ...]
    consumes: tuple[str, ...]
    # Topics written and read outside the outbox and the consumers (audit checkpoints).
    direct: tuple[str, ...] = ()
    # Setting (env name) → "<service>[/path]": another service's URL this one calls.
    urls: Mapping[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        """What ``python -m`` runs."""
        return self.package

    @property
    def service_name(self) -> str:
        """Its settings' ``service_name`` (logs, metrics, traces, event sources)."""
        return self.directory

    @property
    def url(self) -> str:
        """Where it answers on the local platform (``make run``)."""
        return f"http://{LOCALHOST}:{self.port}"

    @property
    def distribution(self) -> str:
        """The project name in its own pyproject.toml (``mylm-<name>``)."""
        project = tomllib.loads((ROOT / self.directory / "pyproject.toml").read_text())
        name: str = project["project"]["name"]
        return name

    def url_targets(self) -> dict[str, tuple[str, str]]:
        """Setting → (service, path) for each URL it calls."""
        targets: dict[str, tuple[str, str]] = {}
        for setting, target in self.urls.items():
            service, slash, path = target.partition("/")
            targets[setting] = (service, slash + path)
        return targets


@dataclass(frozen=True)
class Manifest:
    issuer: str  # signs the tokens the others verify (their JWKS_URL)
    services: tuple[Service, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.services)

    def __getitem__(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)

    def urls_of(self, service: Service, url: Callable[[str], str]) -> dict[str, str]:
        """The env naming the services ``service`` calls, ``url(name)`` giving where each
        runs (the contract ports for ``make run``, free ports in tests)."""
        return {
            setting: url(target) + path for setting, (target, path) in service.url_targets().items()
        }

    def producers(self) -> dict[str, str]:
        """Topic → the service producing it (the first one, should two claim it)."""
        found: dict[str, str] = {}
        for service in self.services:
            for topic in (*service.produces, *service.direct):
                found.setdefault(topic, service.name)
        return found


def _strings(entry: dict[str, object], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ManifestError(f"{entry.get('name')}: {key} must be a list of topic names")
    return tuple(value)


def _service(entry: object) -> Service:
    if not isinstance(entry, dict):
        raise ManifestError(f"[[service]] must be a table, not {entry!r}")
    name = entry.get("name")
    missing, unknown = KEYS - entry.keys(), entry.keys() - KEYS - OPTIONAL
    if missing or unknown:
        raise ManifestError(f"{name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    texts = {k: entry[k] for k in ("name", "directory", "package", "database")}
    if not all(isinstance(v, str) and v for v in texts.values()):
        raise ManifestError(f"{name}: name, directory, package and database are strings")
    port, urls = entry["port"], entry.get("urls", {})
    if not isinstance(port, int) or isinstance(port, bool):
        raise ManifestError(f"{name}: port must be an integer")
    if not isinstance(urls, dict) or not all(isinstance(v, str) for v in urls.values()):
        raise ManifestError(f"{name}: urls maps settings to '<service>[/path]'")
    return Service(
        name=texts["name"],
        directory=texts["directory"],
        package=texts["package"],
        port=port,
        database=texts["database"],
        produces=_strings(entry, "produces"),
        consumes=_strings(entry, "consumes"),
        direct=_strings(entry, "direct"),
        urls=dict(urls),
    )


def parse(text: str) -> Manifest:
    data = tomllib.loads(text)
    entries = data.get("service")
    if not isinstance(entries, list) or not entries:
        raise ManifestError("services.toml lists no [[service]]")
    issuer = data.get("issuer")
    if not isinstance(issuer, str):
        raise ManifestError("services.toml names no issuer")
    return Manifest(issuer, tuple(_service(entry) for entry in entries))


@cache
def load(path: Path = MANIFEST) -> Manifest:
    return parse(path.read_text(encoding="utf-8"))


# --- the docs' tables ---------------------------------------------------------------


def _topics(topics: tuple[str, ...]) -> str:
    return ", ".join(f"`{t}`" for t in topics) or "—"


def table(manifest: Manifest) -> str:
    """The services table of the docs (Markdown), from the manifest alone."""
    lines = [
        "| Service | Port | Package | Database | Produces | Consumes |",
        "|---|---|---|---|---|---|",
    ]
    for s in manifest.services:
        produces = _topics((*s.produces, *s.direct))
        lines.append(
            f"| {s.directory} | {s.port} | `{s.directory}/src/{s.package}` | `{s.database}` "
            f"| {produces} | {_topics(s.consumes)} |"
        )
    return "\n".join(lines)


def _markers(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- {name}: generated by `python -m infra.manifest --write` -->\n)"
        rf"(.*?)(<!-- /{name} -->)",
        re.DOTALL,
    )


def refresh(markdown: str, manifest: Manifest, name: str = "services") -> str:
    """``markdown`` with the generated table between its markers recomputed."""
    pattern = _markers(name)
    if not pattern.search(markdown):
        raise ManifestError(f"no <!-- {name}: … --> markers")
    return pattern.sub(lambda m: m.group(1) + table(manifest) + "\n" + m.group(3), markdown)


def stale_docs(manifest: Manifest | None = None) -> list[Path]:
    """Docs whose generated table differs from the manifest."""
    manifest = manifest or load()
    return [
        path
        for path, name in TABLES.items()
        if refresh(path.read_text(encoding="utf-8"), manifest, name)
        != path.read_text(encoding="utf-8")
    ]


def main(argv: list[str]) -> int:
    manifest = load()
    if "--write" not in argv:
        print(table(manifest))
        return 0
    for path, name in TABLES.items():
        current = path.read_text(encoding="utf-8")
        fresh = refresh(current, manifest, name)
        path.write_text(fresh, encoding="utf-8")
        state = "refreshed" if fresh != current else "up to date"
        print(f"{path.relative_to(ROOT)}: {state}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
