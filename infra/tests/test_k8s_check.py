"""`make k8s-check` refuses a deliberately broken manifest (issue 21 item 4, item 5's
"a deliberately broken manifest makes `make k8s-check` fail").

Each broken overlay is a temporary Kustomize overlay over the real infra/k8s/base with one
fault patched in. Two faults are caught offline by kubeconform (an unknown field, a
KafkaTopic field of the wrong type); two pass kubeconform and only the real kube-apiserver
refuses them (an invalid label value, a duplicate Service port), which is why the check
applies every overlay to one. The unbroken overlay passes both, so a failure is the fault's.
Needs the tools of infra/k8s/install.sh (`make k8s-check` or `make test` installs them).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.k8s import check

pytestmark = pytest.mark.integration

BASE = check.ROOT / "infra" / "k8s" / "base"
NAMESPACE = "k8s-check-test"


@pytest.fixture(scope="module")
def tools() -> check.Tools:
    tools = check.Tools()
    for name in ("kustomize", "kubeconform", "kube-apiserver", "kubectl", "etcd"):
        tools.bin(name)  # CheckError naming the installer when missing: a failure, not a skip
    return tools


@pytest.fixture(scope="module")
def base_names(tools: check.Tools) -> dict[str, list[str]]:
    """kind -> names of the base's objects, so the faults target objects that exist."""
    names: dict[str, list[str]] = {}
    for doc in re.split(r"^---$", check.render(tools, BASE), flags=re.MULTILINE):
        kind = re.search(r"^kind: (\S+)$", doc, re.MULTILINE)
        name = re.search(r"^  name: ['\"]?([^'\"\s]+)['\"]?$", doc, re.MULTILINE)
        if kind and name:
            names.setdefault(kind.group(1), []).append(name.group(1))
    for wanted in ("Deployment", "Service", "KafkaTopic"):
        assert names.get(wanted), f"infra/k8s/base renders no {wanted}"
    return names


@pytest.fixture(scope="module")
def api(tools: check.Tools, tmp_path_factory: pytest.TempPathFactory) -> Iterator[check.ApiServer]:
    server = check.ApiServer(tools, tmp_path_factory.mktemp("apiserver"))
    with server.running():
        server.install_crds()
        yield server


def overlay(tmp_path: Path, name: str, patches: list[dict[str, Any]]) -> Path:
    """A Kustomize overlay over the real base, in its own namespace, with `patches`."""
    folder = tmp_path / name
    folder.mkdir()
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": NAMESPACE,
        "resources": [os.path.relpath(BASE, folder)],
        "patches": patches,
    }
    (folder / "kustomization.yaml").write_text(json.dumps(kustomization, indent=1))
    return folder


def json_patch(kind: str, name: str, *ops: dict[str, Any]) -> dict[str, Any]:
    return {"target": {"kind": kind, "name": name}, "patch": json.dumps(list(ops))}


def test_the_unbroken_overlay_passes_kubeconform_and_the_api_server(
    tools: check.Tools, api: check.ApiServer, tmp_path: Path
) -> None:
    """Issue 21 item 4: the control. The base as it is passes both stages, so each failure
    below comes from its fault."""
    rendered = check.render(tools, overlay(tmp_path, "unbroken", []))
    assert check.validate(tools, rendered, "unbroken") == []
    assert api.dry_run(rendered) == []


def test_an_unknown_deployment_field_fails_kubeconform(
    tools: check.Tools, base_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Issue 21 item 5: a Deployment with a field Kubernetes does not know (a typo such as
    `livenesProbe` would be silently dropped by a lenient client) is refused by name."""
    name = base_names["Deployment"][0]
    path = "/spec/template/spec/containers/0/livenesProbe"
    patch = json_patch("Deployment", name, {"op": "add", "path": path, "value": {}})
    rendered = check.render(tools, overlay(tmp_path, "unknown-field", [patch]))
    failures = check.validate(tools, rendered, "unknown-field")
    assert len(failures) == 1, failures
    assert failures[0].startswith(f"Deployment/{name} (apps/v1)")
    assert "livenesProbe" in failures[0]


def test_a_kafkatopic_with_a_wrong_type_fails_kubeconform(
    tools: check.Tools, base_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Issue 21 item 5: the Strimzi CRD schema is enforced: partitions must be an integer."""
    name = base_names["KafkaTopic"][0]
    patch = json_patch(
        "KafkaTopic", name, {"op": "replace", "path": "/spec/partitions", "value": "six"}
    )
    rendered = check.render(tools, overlay(tmp_path, "topic-type", [patch]))
    failures = check.validate(tools, rendered, "topic-type")
    assert len(failures) == 1, failures
    assert failures[0].startswith(f"KafkaTopic/{name} (kafka.strimzi.io/")
    assert "/spec/partitions" in failures[0]
    assert "want integer" in failures[0]


def test_an_invalid_label_value_passes_kubeconform_but_the_api_server_refuses_it(
    tools: check.Tools, api: check.ApiServer, base_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Issue 21 item 4: why the check needs a real API server. A label value with spaces is
    valid JSON Schema but not a valid Kubernetes label."""
    name = base_names["Deployment"][0]
    patch = json_patch(
        "Deployment",
        name,
        {"op": "add", "path": "/metadata/labels/mylm.example~1owner", "value": "the SRE team!"},
    )
    rendered = check.render(tools, overlay(tmp_path, "label", [patch]))
    assert check.validate(tools, rendered, "label") == []
    failures = api.dry_run(rendered)
    assert failures, "the API server accepted an invalid label value"
    text = "\n".join(failures)
    assert f'The Deployment "{name}" is invalid' in text
    assert "the SRE team!" in text


def test_a_duplicate_service_port_passes_kubeconform_but_the_api_server_refuses_it(
    tools: check.Tools, api: check.ApiServer, base_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Issue 21 item 4: a Service listing the same port twice (a copy-paste slip in a patch)."""
    name = base_names["Service"][0]
    patch = json_patch(
        "Service", name, {"op": "copy", "from": "/spec/ports/0", "path": "/spec/ports/-"}
    )
    rendered = check.render(tools, overlay(tmp_path, "dup-port", [patch]))
    assert check.validate(tools, rendered, "dup-port") == []
    text = "\n".join(api.dry_run(rendered))
    assert f'Service "{name}" is invalid' in text
    assert "Duplicate value" in text


def test_the_command_fails_and_names_the_overlay_and_the_object(
    tools: check.Tools, base_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Issue 21 item 4/5: `python -m infra.k8s.check` (what `make k8s-check` runs), end to
    end with its own API server, over a good and a broken overlay: exit 1, the broken one
    named with its object, the good one passed."""
    name = base_names["Deployment"][0]
    bad = overlay(
        tmp_path,
        "broken",
        [
            json_patch(
                "Deployment",
                name,
                {"op": "add", "path": "/metadata/labels/mylm.example~1owner", "value": "a b"},
            )
        ],
    )
    good = overlay(tmp_path, "good", [])
    proc = subprocess.run(
        [sys.executable, "-m", "infra.k8s.check", str(good), str(bad)],
        cwd=check.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "overlay broken FAILED" in out
    assert f'The Deployment "{name}" is invalid' in out
    assert "overlay good FAILED" not in out
    assert "k8s-check: 1 passed, 1 failed" in out
