"""The Kustomize base and overlays agree with the code (issue 21 items 2, 3 and 5).

Fast unit tests: the committed files are what ``python -m infra.k8s.generate`` writes,
and what it writes agrees with services.toml, the event catalogue, each service's
settings, the routes the services serve and the gateway's routes (issue 20). Applying the
manifests to an API server is ``make k8s-check``'s part (issue 21 item 4).
"""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from mylm_shared.events import dlq_topic
from mylm_shared.events.catalog import ALL_EVENTS, AUDIT_CHECKPOINT
from mylm_shared.runner import uvicorn_config
from mylm_shared.settings import ServiceSettings
from pydantic import SecretStr

from infra.k8s import generate
from infra.k8s.generate import OVERLAY_SET, Workload, workloads
from infra.manifest import load
from testkit.services import create_app, settings_class

MANIFEST = load()
WORKLOADS = {w.service.name: w for w in workloads()}
KINDS = (
    "ServiceAccount",
    "Deployment",
    "Service",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "NetworkPolicy",
)

# Settings each service deliberately leaves to its code default in Kubernetes (issue 21
# item 5). A setting the manifests neither set nor list here fails the test: a new
# setting must be set in the ConfigMap/Secret references or consciously defaulted here.
DEFAULTED_EVERYWHERE = {
    "service_name",
    "topic_prefix",
    "topic_partitions",  # KafkaTopic resources carry the partitions (CREATE_TOPICS=false)
    "topic_replication_factor",
    "consumer_group",
    "mongodb_database",
    "jwt_issuer",
    "jwt_audience",
    "revocation_horizon_seconds",
    "revocation_stale_seconds",
    "max_upload_body_bytes",
    "max_json_body_bytes",
    "outbox_poll_seconds",
    "outbox_sweep_seconds",
    "outbox_relay_enabled",
    "consumer_batch_max_records",
    "consumer_batch_timeout_ms",
    "consumer_batch_concurrency",
    "consumer_max_attempts",
    "consumer_backoff_seconds",
    "consumer_backoff_max_seconds",
    "consumer_dependency_wait_seconds",
}
DEFAULTED = {
    "identity": {
        "access_token_seconds",
        "refresh_token_days",
        "seed_demo_data",  # None: demo data in the dev profile only, never in prod
        "previous_signing_key_file",  # set by an overlay patch during a key rotation
        "session_absolute_hours",
        "login_failures_per_account",
        "login_failures_per_address",
        "login_failure_window_seconds",
        "terms_version",
        "mail_from",
        "smtp_timeout_seconds",
        "sms_sink_domain",
        "codes_per_contact_per_hour",
        "code_guesses_per_identifier",
        "code_guesses_per_address",
        "code_guess_window_seconds",
        "code_requests_per_address_per_hour",
        "code_confirms_per_address_per_hour",
        "login_methods",
        "csam_client_id",
        "csam_scopes",
        "csam_national_number_claim",
        "csam_login_seconds",
        "csam_signup_seconds",
        "csam_timeout_seconds",
        "dossier_token_seconds",
        "service_token_seconds",
        "audit_retired_key_files",  # set by an overlay patch during an audit-key rotation
        "audit_dev_key_file",  # dev/test only: prod reads AUDIT_KEY_FILE
        "audit_checkpoint_seconds",
        "reannounce_batch_size",
        "reannounce_batch_pause_seconds",
        "reannounce_check_seconds",
    },
    "billing": {
        "dunning_daily_at",
        "dunning_check_seconds",
        "dunning_first_reminder_days",
        "dunning_second_reminder_days",
        "notice_batch_size",
        "notice_batch_pause_seconds",
        "notice_check_seconds",
        "maintenance_cache_seconds",
    },
    "inbox": {
        "member_cache_ttl_seconds",
        "member_cache_max_entries",
        "message_chain_retired_key_files",  # set by an overlay patch during a rotation
        "message_chain_dev_key_file",  # dev/test only: prod reads MESSAGE_CHAIN_KEY_FILE
        "signing_demo_dir",  # dev/test only: prod reads SIGNING_TRUST_ANCHORS_FILE
        "max_message_attachments",
        "message_checkpoint_seconds",  # ES-2: the message chains' checkpoint period
    },
    "policy": {"scheduler_interval_seconds"},
    "claims": {"service_client_id", "max_document_bytes", "fresh_login_seconds"},
    "notify": {
        "mail_from",
        "smtp_timeout_seconds",
        "member_cache_ttl_seconds",
        "member_cache_max_entries",
        "delivery_check_seconds",
        "delivery_backoff_seconds",
        "delivery_backoff_max_seconds",
        "delivery_claim_seconds",
        "address_codes_per_hour",  # EI-4 / issue 19 item 4: the code e-mails' limit
        "address_code_interval_seconds",
    },
}


def env_names(kind: type[ServiceSettings]) -> dict[str, str]:
    """Env name → field name of every setting the class reads."""
    return {name.upper(): name for name in kind.model_fields}


def test_committed_manifests_are_the_generated_ones() -> None:
    """Issue 21 item 2: base and overlays are generated from services.toml; edit the
    generator and run `python -m infra.k8s.generate --write`, never the YAML."""
    refresh = "python3 -m uv run --frozen python -m infra.k8s.generate --write"
    assert generate.stale() == [], f"run: {refresh}"


def test_the_generated_yaml_reads_back_as_the_data() -> None:
    """The little YAML writer round-trips what the manifests use (quoted numbers and
    booleans as strings, literal blocks, nested lists)."""
    yaml = pytest.importorskip("yaml")
    data = {
        "a": "true",
        "b": True,
        "c": "100m",
        "d": ["-m", "0.0.0.0/0", 8001, {"x": [], "y": {}}],
        "e": "- op: replace\n  value: 1",
        "f": [[1, 2], {"g": "$2", "h": "/$2"}],
        "i": '["https://a.example"]',
        "j": None,
    }
    assert yaml.safe_load(generate.to_yaml(data)) == data


@pytest.mark.parametrize("service", MANIFEST.names)
def test_every_setting_is_set_or_deliberately_defaulted(service: str) -> None:
    """Issue 21 item 5: every setting the service reads is set in its ConfigMap or a
    Secret reference, or listed above as left to its code default; nothing else is set."""
    w = WORKLOADS[service]
    fields = env_names(settings_class(w.service))
    defaulted = {f.upper() for f in DEFAULTED_EVERYWHERE | DEFAULTED[service]}
    assert not (w.configured - fields.keys()), "the manifests set settings the code does not read"
    assert not (w.configured & defaulted), "listed as defaulted but set by the manifests"
    unclassified = fields.keys() - w.configured - defaulted
    assert not unclassified, (
        f"{service}: set {sorted(unclassified)} in infra/k8s/generate.py or list them as "
        "defaulted in this test"
    )
    assert not (defaulted - fields.keys()), "defaulted settings the code no longer reads"


@pytest.mark.parametrize("service", MANIFEST.names)
def test_no_defaulted_setting_points_at_the_local_platform(service: str) -> None:
    """A setting left to its default must not be one of the local platform's addresses
    (127.0.0.1, localhost): in the cluster those reach nothing."""
    kind = settings_class(WORKLOADS[service].service)
    for name in DEFAULTED_EVERYWHERE | DEFAULTED[service]:
        default = kind.model_fields[name].default
        text = default.get_secret_value() if isinstance(default, SecretStr) else str(default)
        assert "127.0.0.1" not in text and "localhost" not in text, name


@pytest.mark.parametrize("service", MANIFEST.names)
def test_credentials_come_from_secrets_only(service: str) -> None:
    """Issue 21 item 2: values that may carry credentials (SecretStr) are Secret
    references, never ConfigMap values; the keys and the signing key are mounted files."""
    w = WORKLOADS[service]
    kind = settings_class(w.service)
    secret_typed = {
        name.upper()
        for name, info in kind.model_fields.items()
        if "SecretStr" in repr(info.annotation)
    }
    assert secret_typed <= w.secret_env.keys()
    assert not (secret_typed & w.settings.keys())
    for f in w.secret_files:
        assert w.settings[f.setting] == f.path
        assert f.path.startswith(generate.SECRETS_DIR + "/")
    text = "".join(generate.files().values())
    assert "kind: Secret\n" not in text, "a Secret with values in the manifests"


@pytest.mark.parametrize("overlay", [o.name for o in OVERLAY_SET])
@pytest.mark.parametrize("service", MANIFEST.names)
def test_the_settings_of_each_overlay_start_the_service(
    service: str, overlay: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ConfigMap (base merged with the overlay) plus a value for each Secret
    reference is a valid configuration, in the profile the overlay names (prod: the
    production profile's own checks, e.g. identity's SIGNING_KEY_FILE, pass)."""
    w = WORKLOADS[service]
    o = next(o for o in OVERLAY_SET if o.name == overlay)
    literals = generate.overlay_kustomization(o, (w,))["configMapGenerator"][0]["literals"]
    env = dict(w.settings) | dict(line.split("=", 1) for line in literals)
    env |= {name: "placeholder" for name in w.secret_env}
    env |= {"MONGODB_URI": "mongodb://db.example:27017/", "SMTP_URL": "smtp://mx.example:25"}
    env |= {"SERVICE_CLIENTS": "{}"} if "SERVICE_CLIENTS" in w.secret_env else {}
    for name in env_names(settings_class(w.service)):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = settings_class(w.service)()
    assert settings.profile == o.profile
    assert (settings.host, settings.port) == ("0.0.0.0", w.service.port)
    assert not settings.create_topics


def test_every_catalogue_topic_is_a_kafka_topic_with_its_dead_letters() -> None:
    """Issue 21 items 2 and 5: each event topic and its .dlq is a Strimzi KafkaTopic,
    replicated 3 times, 2 in sync, with a retention; audit.checkpoint is compacted and
    kept for ever (LF-5)."""
    topics = {t["spec"]["topicName"]: t for t in map(generate.kafka_topic, generate.topic_names())}
    for spec in ALL_EVENTS:
        assert spec.topic in topics
        if spec is not AUDIT_CHECKPOINT:
            assert dlq_topic(spec.topic) in topics
    produced = {t for s in MANIFEST.services for t in (*s.produces, *s.direct, *s.consumes)}
    assert produced <= topics.keys()
    for topic in topics.values():
        assert topic["apiVersion"] == "kafka.strimzi.io/v1"  # Strimzi >= 1.0 (v1beta2 removed)
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == generate.KAFKA_CLUSTER
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", topic["metadata"]["name"])
        spec = topic["spec"]
        assert (spec["replicas"], spec["config"]["min.insync.replicas"]) == (3, 2)
        assert spec["partitions"] == ServiceSettings().topic_partitions
        assert spec["config"]["retention.ms"] != 0
    checkpoint = topics[AUDIT_CHECKPOINT.topic]["spec"]["config"]
    assert checkpoint == {"min.insync.replicas": 2, "cleanup.policy": "compact", "retention.ms": -1}
    assert topics["invoice.issued"]["spec"]["config"]["retention.ms"] == 30 * generate.DAY_MS
    assert topics["invoice.issued.dlq"]["spec"]["config"]["retention.ms"] == 90 * generate.DAY_MS


def _documents(text: str) -> list[dict[str, str]]:
    """kind and metadata.name of each document of a YAML stream (rendered or committed)."""
    found = []
    for doc in re.split(r"^---$", text, flags=re.MULTILINE):
        kind = re.search(r"^kind: (\S+)$", doc, re.MULTILINE)
        name = re.search(r"^metadata:\n(?:  .*\n)*?  name: (\S+)$", doc, re.MULTILINE)
        if kind and name:
            found.append({"kind": kind.group(1), "name": name.group(1)})
    return found


@pytest.mark.parametrize("service", MANIFEST.names)
def test_every_service_has_its_resources_in_the_base(service: str) -> None:
    """Issue 21 items 2 and 5: Deployment, Service, HPA, PDB, ServiceAccount and
    NetworkPolicy for each service of services.toml, listed in the base's kustomization."""
    w = WORKLOADS[service]
    path = generate.BASE / "services" / f"{w.name}.yaml"
    kinds = {(d["kind"], d["name"]) for d in _documents(path.read_text(encoding="utf-8"))}
    assert kinds == {(kind, w.name) for kind in KINDS}
    kustomization = (generate.BASE / "kustomization.yaml").read_text(encoding="utf-8")
    assert f"- services/{w.name}.yaml\n" in kustomization
    assert f"name: {w.name}-settings\n" in kustomization


def test_the_ingress_serves_exactly_the_gateway_routes() -> None:
    """Issue 21 item 5 / issue 20 item 1: `/api/<service>` → that service, for every
    service and nothing else; TLS from a referenced secret (LF-6)."""
    routes = generate.gateway_routes()
    assert routes == {s.name: f"/api/{s.name}" for s in MANIFEST.services}
    ingress = generate.ingress(WORKLOADS.values())
    paths = ingress["spec"]["rules"][0]["http"]["paths"]
    served = {}
    for p in paths:
        prefix = p["path"].removesuffix("(/|$)(.*)")
        assert p["path"] == prefix + "(/|$)(.*)"
        backend = p["backend"]["service"]
        served[prefix] = backend["name"]
        assert backend["port"] == {"name": "http"}
    assert served == {route: MANIFEST[s].directory for s, route in routes.items()}
    assert ingress["spec"]["tls"][0]["secretName"] == generate.TLS_SECRET
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2"
    # the body limit at the gateway lets through what the services accept
    limit = int(annotations["nginx.ingress.kubernetes.io/proxy-body-size"].removesuffix("m"))
    assert limit * 1024 * 1024 >= ServiceSettings().max_upload_body_bytes


@pytest.mark.parametrize("service", MANIFEST.names)
def test_the_pods_are_locked_down_and_probed_where_the_service_answers(service: str) -> None:
    """Issue 21 item 2: non-root, read-only root with an emptyDir at /tmp, no
    capabilities, no privilege escalation, RuntimeDefault seccomp, no API token;
    liveness /healthz and readiness /readyz, which the service's app really serves."""
    w = WORKLOADS[service]
    pod = generate.deployment(w)["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert pod["automountServiceAccountToken"] is False
    assert generate.service_account(w)["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == generate.UID != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]  # noqa: S108
    assert {"requests", "limits"} <= container["resources"].keys()
    assert container["command"] == ["python", "-m", w.service.package]
    assert container["ports"][0]["containerPort"] == w.service.port
    app = create_app(w.service, profile="test")
    served = {getattr(route, "path", None) for route in app.routes}
    probes = {container[p]["httpGet"]["path"] for p in ("livenessProbe", "startupProbe")}
    assert probes == {"/healthz"} and "/healthz" in served
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz" and "/readyz" in served


def test_the_grace_period_outlasts_the_drain() -> None:
    """Issue 21 item 2: SIGTERM comes after the preStop sleep; uvicorn then finishes its
    requests (its graceful-shutdown timeout) and the lifespan stops the consumers and
    flushes the outbox: the grace period covers all three with a margin."""
    drain = uvicorn_config(FastAPI(), ServiceSettings()).timeout_graceful_shutdown
    assert drain is not None
    needed = generate.PRE_STOP_SECONDS + drain + generate.SHUTDOWN_MARGIN_SECONDS
    for w in WORKLOADS.values():
        pod = generate.deployment(w)["spec"]["template"]["spec"]
        assert pod["terminationGracePeriodSeconds"] >= needed
        assert pod["containers"][0]["lifecycle"]["preStop"]["exec"]["command"] == [
            "sleep",
            str(generate.PRE_STOP_SECONDS),
        ]


def _policy(service: str) -> dict[str, Any]:
    return generate.network_policy(WORKLOADS[service], {w.name: w for w in WORKLOADS.values()})


def _selected(peers: list[dict[str, Any]]) -> set[str]:
    return {
        p["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
        for p in peers
        if "podSelector" in p and "namespaceSelector" not in p
    }


@pytest.mark.parametrize("service", MANIFEST.names)
def test_network_policies_allow_only_the_callers_and_the_dependencies(service: str) -> None:
    """Issue 21 item 2: default deny; in: the gateway, Prometheus and the services that
    call this one (services.toml `urls`; everyone reads identity's JWKS); out: DNS,
    Kafka, MongoDB, the services it calls, SMTP for those that send mail."""
    deny = generate.default_deny()["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    w = WORKLOADS[service]
    policy = _policy(service)["spec"]
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    (rule,) = policy["ingress"]
    namespaces = {
        p["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for p in rule["from"]
        if "namespaceSelector" in p
    }
    assert namespaces == {generate.GATEWAY_NAMESPACE, generate.MONITORING_NAMESPACE}
    callers = {
        s.directory
        for s in MANIFEST.services
        if service in {t for t, _ in s.url_targets().values()}
        or (service == MANIFEST.issuer and s.name != service)
    }
    # issue 20 item 2: the member portal calls every service with the member's token
    if service in {t for t, _ in generate.PORTAL.url_targets().values()}:
        callers.add(generate.PORTAL.directory)
    assert _selected(rule["from"]) == callers
    called = {MANIFEST[t].directory for t, _ in w.service.url_targets().values()}
    if service != MANIFEST.issuer:
        called.add(MANIFEST[MANIFEST.issuer].directory)
    assert _selected([p for e in policy["egress"] for p in e["to"]]) == called
    ports = {p["port"] for e in policy["egress"] for p in e["ports"]}
    assert {53, generate.KAFKA_PORT, generate.MONGODB_PORT} <= ports
    sends_mail = "SMTP_URL" in env_names(settings_class(w.service))
    assert (587 in ports) == sends_mail


def test_the_overlays_set_profile_images_and_bounds() -> None:
    """Issue 21 item 3: each overlay names the profile, an image per service, the HPA
    bounds (never more replicas than partitions: idle consumers) and the resources."""
    assert {o.name for o in OVERLAY_SET} == {"dev", "prod"}
    for o in OVERLAY_SET:
        k = generate.overlay_kustomization(o, tuple(WORKLOADS.values()))
        assert {i["name"] for i in k["images"]} == {f"mylm/{w.name}" for w in WORKLOADS.values()}
        assert all(i["newTag"] for i in k["images"])
        for generator in k["configMapGenerator"]:
            assert f"PROFILE={o.profile}" in generator["literals"]
        assert 1 <= o.min_replicas <= o.max_replicas <= generate.PARTITIONS
    assert next(o for o in OVERLAY_SET if o.name == "prod").profile == "prod"


def _render(overlay: str) -> str:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed (make k8s-check renders with its own)")
    path = generate.OVERLAYS / overlay
    result = subprocess.run(
        [kubectl, "kustomize", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("overlay", [o.name for o in OVERLAY_SET])
def test_each_overlay_renders_every_resource(overlay: str) -> None:
    """`kubectl kustomize infra/k8s/overlays/<env>` renders, with each service's
    resources, its settings ConfigMap, the Ingress and every KafkaTopic."""
    text = _render(overlay)
    found = {(d["kind"], d["name"]) for d in _documents(text)}
    for w in WORKLOADS.values():
        assert {(kind, w.name) for kind in KINDS} <= found
        assert any(k == "ConfigMap" and n.startswith(f"{w.name}-settings-") for k, n in found)
    assert ("Ingress", "mylm-api") in found
    assert ("NetworkPolicy", "default-deny") in found
    names = {generate.resource_name(t) for t in generate.topic_names()}
    assert {n for k, n in found if k == "KafkaTopic"} == names
    o = next(o for o in OVERLAY_SET if o.name == overlay)
    assert f"  PROFILE: {o.profile}\n" in text
    assert f"namespace: {o.namespace}\n" in text
    assert "\nkind: Secret\n" not in text


def test_the_dockerfile_builds_every_service_the_same_way() -> None:
    """Issue 21 item 1: one parametrised Dockerfile (ARG SERVICE) is right for every
    service because each follows the same layout; multi-stage, the lock respected,
    non-root, no HEALTHCHECK; each member's pyproject.toml is in the dependency layer."""
    root = generate.K8S.parents[1]
    dockerfile = (root / "Dockerfile").read_text(encoding="utf-8")
    for s in MANIFEST.services:
        assert (s.directory, s.package, s.distribution) == (
            f"{s.name}-svc",
            s.name,
            f"mylm-{s.name}",
        )
        assert (root / s.directory / "src" / s.package / "__main__.py").is_file()
        assert f"source={s.directory}/pyproject.toml," in dockerfile
    assert not re.search(r"^\s*HEALTHCHECK", dockerfile, re.MULTILINE)
    assert len(re.findall(r"^FROM \$\{PYTHON_IMAGE\}", dockerfile, re.MULTILINE)) == 2
    assert re.search(r"^USER 10001:10001$", dockerfile, re.MULTILINE)
    assert dockerfile.count("uv sync --frozen --no-dev") == 2
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    matrix = (root / "docs" / "containers.md").read_text(encoding="utf-8")
    for s in MANIFEST.services:
        assert f"--build-arg SERVICE={s.name} " in matrix


def test_a_new_service_gets_everything(tmp_path: Path) -> None:
    """Adding a service to services.toml gives it the full set of resources and a route
    (the generator reads the manifest; nothing per service is hand-written)."""
    text = (generate.K8S.parents[1] / "services.toml").read_text(encoding="utf-8")
    from infra.manifest import parse

    grown = parse(
        text + '\n[[service]]\nname = "extra"\ndirectory = "extra-svc"\npackage = "extra"\n'
        'port = 8099\ndatabase = "extra"\nproduces = []\nconsumes = []\n'
    )
    ws = workloads(grown)
    files = generate.files(grown)
    assert generate.BASE / "services" / "extra-svc.yaml" in files
    assert generate.gateway_routes(grown)["extra"] == "/api/extra"
    extra: Workload = next(w for w in ws if w.name == "extra-svc")
    assert extra.calls == ("identity-svc",)
    assert "extra-svc" in next(w for w in ws if w.name == "identity-svc").callers


PORTAL = generate.portal_workload()


def test_the_portal_is_deployed_with_the_services_in_cluster_urls_and_a_secure_cookie(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 20 item 2 / issue 21: the portal has the services' resources (locked-down
    pod, probes /healthz and /readyz it serves), every setting it reads is set (the
    services' in-cluster URLs, the gateway's addresses believed) or left to a default that
    does not point at the local platform; MONGODB_URI from a Secret; PROFILE=prod in every
    overlay, so its session cookie is Secure."""
    from portal.settings import PortalSettings

    assert PORTAL.name == "portal-web" and PORTAL.service.package == "portal"
    path = generate.BASE / "services" / "portal-web.yaml"
    kinds = {(d["kind"], d["name"]) for d in _documents(path.read_text(encoding="utf-8"))}
    assert kinds == {(kind, "portal-web") for kind in KINDS}
    container = generate.deployment(PORTAL)["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["python", "-m", "portal"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    for service in MANIFEST.services:
        url = PORTAL.settings[f"{service.name.upper()}_URL"]
        assert url == f"http://{service.directory}:{service.port}"
    assert PORTAL.secret_env == {"MONGODB_URI": ("portal-web-env", "MONGODB_URI")}
    fields = env_names(PortalSettings)
    assert PORTAL.configured <= fields.keys()
    unused = {"KAFKA_BOOTSTRAP_SERVERS", "JWKS_URL"}  # no bus, no token verified itself
    for name in fields.keys() - PORTAL.configured - unused:
        default = PortalSettings.model_fields[fields[name]].default
        assert "127.0.0.1" not in str(default) and "localhost" not in str(default), name
    for o in OVERLAY_SET:
        literals = generate.overlay_kustomization(o, (PORTAL,))["configMapGenerator"][0]
        env = dict(PORTAL.settings) | dict(x.split("=", 1) for x in literals["literals"])
        env["MONGODB_URI"] = "mongodb://db.example:27017/"
        for name in fields:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = PortalSettings()
        assert settings.secure_cookies, o.name
        assert (settings.host, settings.port) == ("0.0.0.0", 8010)
    # in: the ingress controller (and Prometheus); out: the services it calls, MongoDB
    policy = generate.network_policy(PORTAL, {w.name: w for w in WORKLOADS.values()})["spec"]
    (rule,) = policy["ingress"]
    assert not _selected(rule["from"])
    called = _selected([p for e in policy["egress"] for p in e["to"]])
    assert called == {s.directory for s in MANIFEST.services}


def test_the_portal_is_at_the_root_of_the_apis_host() -> None:
    """Issue 20 item 2: one origin, as the local gateway: the `mylm-portal` Ingress sends
    `/` to the portal on the host of the APIs' Ingress (each overlay patches both), with
    the upload body limit; the APIs stay at `/api/<service>`."""
    api = generate.ingress(WORKLOADS.values())
    portal = generate.portal_ingress(PORTAL)
    (rule,) = portal["spec"]["rules"]
    assert rule["host"] == api["spec"]["rules"][0]["host"]
    (path,) = rule["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/", "Prefix")
    assert path["backend"]["service"] == {"name": "portal-web", "port": {"name": "http"}}
    assert portal["spec"]["tls"] == api["spec"]["tls"]
    annotations = portal["metadata"]["annotations"]
    assert "nginx.ingress.kubernetes.io/rewrite-target" not in annotations
    limit = int(annotations["nginx.ingress.kubernetes.io/proxy-body-size"].removesuffix("m"))
    assert limit * 1024 * 1024 >= ServiceSettings().max_upload_body_bytes
    for o in OVERLAY_SET:
        patches = generate.overlay_kustomization(o, (PORTAL,))["patches"]
        hosts = [p for p in patches if p["target"] == {"kind": "Ingress", "name": "mylm-portal"}]
        assert len(hosts) == 1 and o.api_host in hosts[0]["patch"]
        assert o.portal_origin == f"https://{o.api_host}"
