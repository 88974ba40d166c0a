"""Issue 17 item 5: the services manifest (services.toml), the workspace, each service's
settings and ``ServiceDefinition``, and the event catalogue agree; the docs' generated
tables are fresh. No servers: the apps are built, not started, and their consumers are
built from stand-ins of their use cases (only the topics they subscribe to are read).

After changing services.toml: ``python3 -m uv run --frozen python -m infra.manifest --write``
refreshes the tables in docs/architecture.md and docs/adding-a-service.md."""

import fnmatch
import tomllib
from collections import Counter
from typing import Any
from unittest.mock import MagicMock

import pytest
from fastapi import FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import ALL_EVENTS
from mylm_shared.service import ServiceDefinition

from infra.manifest import (
    MANIFEST,
    ROOT,
    TABLES,
    Manifest,
    ManifestError,
    Service,
    load,
    parse,
    refresh,
    stale_docs,
)
from testkit.services import create_app, settings_class

WRITE = "python3 -m uv run --frozen python -m infra.manifest --write"
MANIFEST_SERVICES = load()
SERVICES = MANIFEST_SERVICES.services
CATALOGUE = {spec.topic for spec in ALL_EVENTS}
ROOT_PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def ids(service: Service) -> str:
    return service.name


def matches(path: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


# --- the manifest by itself --------------------------------------------------------------


def test_names_directories_packages_ports_and_databases_are_unique() -> None:
    for field in ("name", "directory", "package", "port", "database"):
        counts = Counter(getattr(s, field) for s in SERVICES)
        assert not [v for v, n in counts.items() if n > 1], f"{field} used twice: {counts}"


def test_the_issuer_and_the_called_services_are_services_started_before_the_caller() -> None:
    """The slice starts services in manifest order and gives each the URLs of those it
    calls (claims-svc: policy-svc and identity's token endpoint)."""
    names = list(MANIFEST_SERVICES.names)
    assert names[0] == MANIFEST_SERVICES.issuer, "the token issuer starts first"
    for service in SERVICES:
        for setting, (target, path) in service.url_targets().items():
            assert target in names[: names.index(service.name)], (
                f"{service.name}.{setting} names {target!r}, not a service listed before it"
            )
            assert path == "" or path.startswith("/"), f"{service.name}.{setting}: {path!r}"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('issuer = "a"\n', "no [[service]]"),
        ('[[service]]\nname = "a"\n', "no issuer"),
        ('issuer = "a"\n[[service]]\nname = "a"\n', "missing"),
        (
            'issuer = "a"\n[[service]]\nname = "a"\ndirectory = "a-svc"\npackage = "a"\n'
            'port = "8001"\ndatabase = "a"\nproduces = []\nconsumes = []\n',
            "port must be an integer",
        ),
        (
            'issuer = "a"\n[[service]]\nname = "a"\ndirectory = "a-svc"\npackage = "a"\n'
            'port = 8001\ndatabase = "a"\nproduces = "x.y"\nconsumes = []\n',
            "produces must be a list",
        ),
        (
            'issuer = "a"\n[[service]]\nname = "a"\ndirectory = "a-svc"\npackage = "a"\n'
            'port = 8001\ndatabase = "a"\nproduces = []\nconsumes = []\nprot = 1\n',
            "unknown ['prot']",
        ),
    ],
)
def test_a_malformed_manifest_is_refused_with_the_reason(text: str, complaint: str) -> None:
    with pytest.raises(ManifestError, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        parse(text)


def test_the_manifest_file_parses_into_every_listed_service() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert isinstance(load(), Manifest)
    assert text.count("[[service]]") == len(SERVICES) >= 6


# --- the workspace -----------------------------------------------------------------------


def test_every_service_directory_is_in_the_manifest_and_the_other_way_round() -> None:
    on_disk = {p.name for p in ROOT.glob("*-svc") if (p / "pyproject.toml").is_file()}
    listed = {s.directory for s in SERVICES}
    assert not on_disk - listed, f"not in services.toml: {sorted(on_disk - listed)}"
    assert not listed - on_disk, f"in services.toml, not in the workspace: {listed - on_disk}"


@pytest.mark.parametrize("service", SERVICES, ids=ids)
def test_the_root_project_builds_checks_and_tests_the_service(service: Service) -> None:
    """The places of the root pyproject.toml a service needs (docs/adding-a-service.md):
    a missed one would leave the service out of `uv sync`, mypy or `make test`."""
    uv = ROOT_PROJECT["tool"]["uv"]
    assert matches(service.directory, uv["workspace"]["members"])
    distribution = service.distribution
    assert distribution in ROOT_PROJECT["project"]["dependencies"], "[project] dependencies"
    assert uv["sources"].get(distribution) == {"workspace": True}, "[tool.uv.sources]"
    mypy = ROOT_PROJECT["tool"]["mypy"]
    assert f"{service.directory}/src" in mypy["mypy_path"].split(":"), "[tool.mypy] mypy_path"
    assert matches(f"{service.directory}/src", mypy["files"]), "[tool.mypy] files"
    testpaths = ROOT_PROJECT["tool"]["pytest"]["ini_options"]["testpaths"]
    assert matches(f"{service.directory}/tests", testpaths), "pytest testpaths"
    linter = ROOT_PROJECT["tool"].get("importlinter")
    if linter is not None:  # issue 17 item 8: its domain stays pure
        assert service.package in linter["root_packages"], "[tool.importlinter] root_packages"
        # Module expressions may hold wildcards (`*.domain`). A layer the contracts name
        # for every service (`*.domain`) or for several (`billing.service`,
        # `inbox.service`, …) is named for this one too (`identity.demo` is identity's own).
        packages = {"*", *(s.package for s in SERVICES)}
        for kind in ("source_modules", "forbidden_modules"):
            named = [m for c in linter["contracts"] for m in c.get(kind, [])]
            owners: dict[str, set[str]] = {}
            for module in named:
                package, _, layer = module.partition(".")
                if layer and package in packages:
                    owners.setdefault(layer, set()).add(package)
            layers = [layer for layer, has in owners.items() if "*" in has or len(has) > 1]
            for layer in layers:
                assert matches(f"{service.package}.{layer}", named), f"importlinter {kind}: {layer}"
        for contract in linter["contracts"]:
            if "containers" in contract:
                assert matches(service.package, contract["containers"]), contract["id"]


@pytest.mark.parametrize("service", SERVICES, ids=ids)
def test_the_service_package_is_where_the_manifest_says(service: Service) -> None:
    project = tomllib.loads((ROOT / service.directory / "pyproject.toml").read_text())
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert wheel == [f"src/{service.package}"]
    assert (ROOT / service.directory / "src" / service.package / "__main__.py").is_file()
    assert project["tool"]["uv"]["sources"]["mylm-shared"] == {"workspace": True}


# --- each service's own settings and definition ------------------------------------------


@pytest.mark.parametrize("service", SERVICES, ids=ids)
def test_the_settings_default_to_the_manifests_port_name_and_database(service: Service) -> None:
    settings = settings_class(service)(profile="test")
    assert settings.port == service.port, "its settings' default port"
    assert settings.service_name == service.service_name, "its settings' service_name"
    assert settings.database_name == service.database, "its settings' database_name"
    for setting, url in MANIFEST_SERVICES.urls_of(
        service, lambda name: MANIFEST_SERVICES[name].url
    ).items():
        assert getattr(settings, setting.lower()) == url, setting


@pytest.fixture(scope="module")
def definitions() -> dict[str, ServiceDefinition[Any]]:
    found: dict[str, ServiceDefinition[Any]] = {}
    for service in SERVICES:
        app: FastAPI = create_app(service, profile="test")
        found[service.name] = app.state.definition
    return found


def consumers(definition: ServiceDefinition[Any]) -> list[Consumer]:
    """The service's consumers, built the way start-up builds them, over stand-ins for the
    live adapters and use cases (their handlers are not called)."""
    built: list[Consumer] = []
    if definition.consumers_of is not None:
        built += definition.consumers_of(MagicMock())
    return built


@pytest.mark.parametrize("service", SERVICES, ids=ids)
def test_the_service_produces_and_consumes_what_the_manifest_says(
    service: Service, definitions: dict[str, ServiceDefinition[Any]]
) -> None:
    definition = definitions[service.name]
    produced = [spec.topic for spec in definition.produces]
    consumed = [consumer.spec.topic for consumer in consumers(definition)]
    assert sorted(produced) == sorted(service.produces), "ServiceDefinition.produces"
    assert sorted(set(consumed)) == sorted(service.consumes), "its consumers' topics"
    assert not set(service.direct) & set(produced), "a direct topic is not also in the outbox"


# --- the event catalogue -----------------------------------------------------------------


def test_every_catalogue_event_is_produced_by_exactly_one_service() -> None:
    producers: dict[str, list[str]] = {}
    for service in SERVICES:
        for topic in (*service.produces, *service.direct):
            producers.setdefault(topic, []).append(service.name)
    assert set(producers) <= CATALOGUE, f"not in the catalogue: {set(producers) - CATALOGUE}"
    assert not CATALOGUE - set(producers), f"produced by no service: {CATALOGUE - producers.keys()}"
    twice = {topic: names for topic, names in producers.items() if len(names) > 1}
    assert not twice, f"produced by more than one service: {twice}"


def test_every_consumed_topic_is_a_catalogue_event_some_other_service_produces() -> None:
    producers = MANIFEST_SERVICES.producers()
    for service in SERVICES:
        unknown = set(service.consumes) - CATALOGUE
        assert not unknown, f"{service.name} consumes topics not in the catalogue: {unknown}"
        assert len(set(service.consumes)) == len(service.consumes), f"{service.name}: twice"
        orphans = {t for t in service.consumes if t not in producers}
        assert not orphans, f"{service.name} consumes topics no service produces: {orphans}"
        own = {t for t in service.consumes if producers.get(t) == service.name}
        assert not own, f"{service.name} consumes its own topics: {own}"


def test_catalogue_topics_are_unique() -> None:
    topics = Counter(spec.topic for spec in ALL_EVENTS)
    assert not [t for t, n in topics.items() if n > 1], topics


# --- the docs' tables --------------------------------------------------------------------


def test_the_docs_tables_are_generated_from_the_manifest() -> None:
    assert not stale_docs(), f"stale services tables; refresh them with: {WRITE}"
    for path in TABLES:
        text = path.read_text(encoding="utf-8")
        for service in SERVICES:
            assert f"| {service.directory} | {service.port} |" in text, path


def test_a_table_not_matching_the_manifest_is_rewritten() -> None:
    markdown = (
        "# x\n\n<!-- services: generated by `python -m infra.manifest --write` -->\n"
        "| old |\n<!-- /services -->\n"
    )
    fresh = refresh(markdown, MANIFEST_SERVICES)
    assert fresh != markdown
    assert refresh(fresh, MANIFEST_SERVICES) == fresh
    with pytest.raises(ManifestError, match="markers"):
        refresh("# no table\n", MANIFEST_SERVICES)
