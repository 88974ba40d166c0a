"""Observability for SREs (issue 21 item 6) and its runbook (item 7), fast and offline.

- Every metric name a PrometheusRule expression or a dashboard panel uses is one the
  services really export. The exported names come from the code: every app of
  services.toml is built (not started: no Kafka, no MongoDB), answers one request through
  ASGI, gets a stand-in revocation list (as a started app has), and its ``/metrics`` is
  parsed with prometheus_client's parser; each family then gives the series names
  Prometheus stores (a counter ``_total``, a histogram ``_bucket``/``_count``/``_sum``…).
- Metric names are read from PromQL with regular expressions, not a parser: strings,
  label matchers, ranges, grouping clauses and Grafana variables are removed, and what is
  left that looks like a name and is neither a function call nor a keyword is a metric.
  (Cross-checked once against Prometheus' own parser, ``promql/parser`` of
  prometheus v0.301.0: the same names for every expression.)
- Every service has a ServiceMonitor selecting its Service by the labels the generated
  base gives it, on the port named ``http``.
- Every alert has a severity, a summary, a description and a ``runbook_url`` whose
  section exists in docs/operations.md.
"""

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import httpx
import pytest
import yaml  # type: ignore[import-untyped]
from mylm_shared.revocations import RevocationList
from prometheus_client.parser import text_string_to_metric_families

from infra.manifest import ROOT, load
from testkit.services import create_app

OBSERVABILITY = ROOT / "infra" / "k8s" / "base" / "observability"
SERVICES_YAML = ROOT / "infra" / "k8s" / "base" / "services"
OPERATIONS = ROOT / "docs" / "operations.md"
MANIFEST = load()
# Series Prometheus makes itself for every target (not exported by a service).
PROMETHEUS_OWN = {"up"}
SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "info": ("_info",),
    "stateset": ("",),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "unknown": ("",),
}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan", "start", "end"}
GROUPING = r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)"
SEVERITIES = {"critical", "warning"}


# --- what the services export ------------------------------------------------------------


async def exported_by(app: Any) -> set[str]:
    # What a started app holds for the revocation collector (RevocationMetrics).
    app.state.runtime = SimpleNamespace(
        token_verifier=None,
        revocations=RevocationList(cast(Any, None), timedelta(hours=1)),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        assert (await client.get("/healthz")).status_code == 200  # HTTP metrics exist
        response = await client.get("/metrics")
    assert response.status_code == 200
    names: set[str] = set()
    for family in text_string_to_metric_families(response.text):
        names.update(family.name + suffix for suffix in SUFFIXES[family.type])
    return names


@pytest.fixture(scope="module")
async def exported() -> dict[str, set[str]]:
    """Service → the series names its ``/metrics`` exposes."""
    return {
        service.directory: await exported_by(create_app(service, profile="test"))
        for service in MANIFEST.services
    }


# --- PromQL, by regular expressions ----------------------------------------------------


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (see the module docstring)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)  # strings
    text = re.sub(r"\{[^{}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\[\]]*\]", " ", text)  # ranges, subqueries
    text = re.sub(r"\$\{?\w+\}?", " ", text)  # Grafana variables
    text = re.sub(GROUPING, " ", text)
    found = set()
    for match in re.finditer(r"(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?", text):
        name, call = match.group(1), match.group(2)
        if not call and name not in KEYWORDS:
            found.add(name)
    return found


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('sum by (job) (rate(a_total{status="5xx", x=~"b|c"}[5m])) > 0', {"a_total"}),
        ("histogram_quantile(0.95, sum by (le) (rate(b_bucket[$__rate_interval])))", {"b_bucket"}),
        ('x unless on (namespace, topic) label_replace(y, "t", "$1", "h", "(.*)")', {"x", "y"}),
        ("time() - max by (j) (c) > 3 * max by (j) (d{a='b'}) + 300", {"c", "d"}),
        ("sum(increase(e[1h] offset 1d)) or vector(0) > bool f:g", {"e", "f:g"}),
    ],
)
def test_metric_names_are_read_from_promql(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


# --- the resources -----------------------------------------------------------------------


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


@cache
def kustomization() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(
        (OBSERVABILITY / "kustomization.yaml").read_text(encoding="utf-8")
    )
    return found


def resources(kind: str) -> list[dict[str, Any]]:
    return [
        doc
        for name in kustomization()["resources"]
        for doc in documents(OBSERVABILITY / name)
        if doc["kind"] == kind
    ]


def rules() -> Iterator[dict[str, Any]]:
    for rule in resources("PrometheusRule"):
        for group in rule["spec"]["groups"]:
            yield from group["rules"]


def alerts() -> list[dict[str, Any]]:
    return [rule for rule in rules() if "alert" in rule]


@cache
def dashboards() -> dict[str, dict[str, Any]]:
    """File name → dashboard, of the configMapGenerator labelled for Grafana's sidecar."""
    found: dict[str, dict[str, Any]] = {}
    for generator in kustomization()["configMapGenerator"]:
        assert generator["options"]["labels"]["grafana_dashboard"] == "1", generator["name"]
        for item in generator["files"]:
            key, _, path = item.partition("=")
            found[key] = json.loads((OBSERVABILITY / path).read_text(encoding="utf-8"))
    assert found, "no dashboard"
    return found


def panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])  # a collapsed row's


def queries() -> Iterator[tuple[str, str]]:
    """(where, PromQL) of every alert, recording rule and dashboard query."""
    for rule in rules():
        yield rule.get("alert") or rule["record"], rule["expr"]
    for name, dashboard in dashboards().items():
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                yield f"{name}: {panel['title']}", target["expr"]
        for variable in dashboard["templating"]["list"]:
            if variable["type"] == "query":  # Grafana's label_values(<selector>, <label>)
                selector = re.fullmatch(r"label_values\((.+),\s*\w+\)", variable["definition"])
                assert selector, variable["definition"]
                yield f"{name}: ${variable['name']}", selector.group(1)


def test_every_metric_an_alert_or_a_panel_uses_is_exported_by_the_services(
    exported: dict[str, set[str]],
) -> None:
    """Issue 21 item 6: no alert or panel on a metric nobody exports (a renamed metric,
    a counter without ``_total``, a histogram without ``_bucket``)."""
    everywhere = set().union(*exported.values()) | PROMETHEUS_OWN
    used = {where: metric_names(expr) for where, expr in queries()}
    assert all(used.values()), [where for where, names in used.items() if not names]
    unknown = {where: names - everywhere for where, names in used.items() if names - everywhere}
    assert not unknown, f"metrics no service exports: {unknown}"
    # the families the alerts are about are exported by every service
    for service, names in exported.items():
        for name in (
            "mylm_consumer_lag",
            "mylm_dead_letters_total",
            "mylm_outbox_backlog",
            "mylm_outbox_oldest_age_seconds",
            "mylm_revocations_current",
            "mylm_scheduler_last_success_timestamp_seconds",
            "http_requests_total",
            "http_request_duration_seconds_bucket",
        ):
            assert name in names, f"{service} does not export {name}"


def test_the_regular_expressions_would_catch_a_metric_that_is_not_exported(
    exported: dict[str, set[str]],
) -> None:
    """The check above can fail: the counter's family name without ``_total``, or a
    histogram's without ``_bucket``, are not series names."""
    everywhere = set().union(*exported.values())
    for wrong in ("increase(mylm_dead_letters[1h])", "rate(http_request_duration_seconds[5m])"):
        assert metric_names(wrong) - everywhere


def test_every_service_has_a_service_monitor_on_its_service_s_http_port() -> None:
    """Issue 21 item 6: Prometheus scrapes every service's /metrics; the ServiceMonitor
    selects the Service by the labels the generated base gives it."""
    monitors = {m["metadata"]["name"]: m for m in resources("ServiceMonitor")}
    assert set(monitors) == {s.directory for s in MANIFEST.services}
    for service in MANIFEST.services:
        spec = monitors[service.directory]["spec"]
        (target,) = [
            d
            for d in documents(SERVICES_YAML / f"{service.directory}.yaml")
            if d["kind"] == "Service"
        ]
        labels = target["metadata"]["labels"]
        assert spec["selector"]["matchLabels"].items() <= labels.items(), service.name
        ports = {port["name"] for port in target["spec"]["ports"]}
        (endpoint,) = spec["endpoints"]
        assert endpoint["port"] in ports and endpoint["path"] == "/metrics", service.name
        assert spec["jobLabel"] in labels, "the job label the alerts group by"


def anchors(markdown: str) -> set[str]:
    """GitHub's anchors of the headings: lower case, punctuation dropped, spaces → -."""
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_every_alert_says_how_bad_what_and_where_its_runbook_is() -> None:
    """Issue 21 items 6 and 7: severity, summary, description, and a runbook_url naming
    a section of docs/operations.md that exists (one per alert)."""
    sections = anchors(OPERATIONS.read_text(encoding="utf-8"))
    found = alerts()
    assert len(found) >= 6
    names = [a["alert"] for a in found]
    assert len(names) == len(set(names)), "an alert named twice"
    for alert in found:
        name = alert["alert"]
        assert alert["labels"]["severity"] in SEVERITIES, name
        annotations = alert["annotations"]
        assert annotations["summary"].strip() and annotations["description"].strip(), name
        url = annotations["runbook_url"]
        page, _, section = url.partition("#")
        assert page.startswith("https://") and page.endswith("/docs/operations.md"), name
        assert section == name.lower(), f"{name}: one runbook section per alert"
        assert section in sections, f"{name}: no section #{section} in docs/operations.md"


def test_the_alerts_cover_what_the_sres_asked_for() -> None:
    """Issue 21 item 6: DLQ growth, consumer lag, outbox backlog (size and age), 5xx rate,
    revocation list stale, scheduler not run."""
    by_metric = {a["alert"]: metric_names(a["expr"]) for a in alerts()}
    for metric in (
        "mylm_dead_letters_total",
        "mylm_consumer_lag",
        "mylm_outbox_backlog",
        "mylm_outbox_oldest_age_seconds",
        "http_requests_total",
        "mylm_revocations_current",
        "mylm_scheduler_last_success_timestamp_seconds",
    ):
        assert any(metric in names for names in by_metric.values()), metric


def test_the_dashboard_has_a_row_per_concern() -> None:
    (dashboard,) = dashboards().values()
    rows = [p["title"] for p in dashboard["panels"] if p["type"] == "row"]
    for concern in ("HTTP", "Consumers", "Outbox", "Dead letters", "revocations", "Scheduler"):
        assert any(concern.lower() in row.lower() for row in rows), concern
    ids = [p["id"] for p in panels(dashboard)]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    assert dashboard["uid"] and dashboard["title"]


def test_every_overlay_renders_with_the_observability_resources() -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed (make k8s-check renders with its own)")
    for overlay in ("dev", "prod"):
        path = ROOT / "infra" / "k8s" / "overlays" / overlay
        rendered = subprocess.run(
            [kubectl, "kustomize", str(path)], capture_output=True, text=True, check=True
        ).stdout
        kinds = [d["kind"] for d in yaml.safe_load_all(rendered) if d]
        assert kinds.count("ServiceMonitor") == len(MANIFEST.services), overlay
        assert kinds.count("PrometheusRule") == 1, overlay
        assert "grafana_dashboard" in rendered, overlay


def referenced_secrets() -> dict[str, set[str]]:
    """Secret (or mounted ConfigMap) → its keys, as the generated base references them."""
    found: dict[str, set[str]] = {}
    for path in sorted(SERVICES_YAML.glob("*.yaml")):
        for doc in documents(path):
            if doc["kind"] != "Deployment":
                continue
            pod = doc["spec"]["template"]["spec"]
            for container in pod["containers"]:
                for env in container.get("env", []):
                    ref = env.get("valueFrom", {}).get("secretKeyRef")
                    if ref:
                        found.setdefault(ref["name"], set()).add(ref["key"])
            for volume in pod.get("volumes", []):
                source = volume.get("secret") or volume.get("configMap")
                if source:
                    name = source.get("secretName") or source["name"]
                    keys = {item["key"] for item in source.get("items", [])}
                    found.setdefault(name, set()).update(keys)
    for doc in documents(ROOT / "infra" / "k8s" / "base" / "ingress.yaml"):
        for tls in doc.get("spec", {}).get("tls", []):
            found.setdefault(tls["secretName"], set())
    return found


def test_the_runbook_names_every_secret_to_create_with_its_keys() -> None:
    """Issue 21 item 7: the deploy section lists each Secret the manifests reference (the
    names and keys must match, or a pod never starts)."""
    runbook = OPERATIONS.read_text(encoding="utf-8")
    secrets = referenced_secrets()
    assert "identity-svc-signing-key" in secrets and "identity-svc-audit-key" in secrets
    for name, keys in secrets.items():
        assert f"`{name}`" in runbook, f"docs/operations.md does not name {name}"
        for key in keys:
            assert f"`{key}`" in runbook, f"docs/operations.md does not name {name}'s {key}"


def test_the_runbook_s_links_within_itself_lead_to_a_section() -> None:
    runbook = OPERATIONS.read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(#([\w-]+)\)", runbook))
    assert {"alerts", "mylmconsumerstalled"} <= links
    assert not links - anchors(runbook), "links to no section"
