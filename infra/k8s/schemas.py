"""JSON schemas for kubeconform, made by infra/k8s/install.sh (issue 21 item 4).

Two sources, both from registries:

* ``k8s``: the Kubernetes schemas that PyPI's ``kubernetes-validate`` wheel ships
  (``kubernetes-json-schema/vX.Y.Z-local-strict/<kind>-<group>-<version>.json`` with a shared
  ``_definitions.json``). They are JSON Schema 2020-12 with ``$defs`` and absolute ``$ref``s
  ("/api/_definitions.json#/$defs/..."), which kubeconform would try to fetch from the web:
  rewritten to ``definitions`` and relative file ``$ref``s, so the directory stands alone.
* ``crd``: CustomResourceDefinitions (Strimzi's generated ones, prometheus-operator's) turned
  into one schema per served version, named ``<group>/<kind>_<version>.json`` (lower case),
  strict like the Kubernetes ones: an object with ``properties`` refuses unknown fields unless
  the CRD says ``x-kubernetes-preserve-unknown-fields`` (what the API server prunes or refuses).

Run as ``python -m infra.k8s.schemas k8s WHEEL K8S_VERSION OUT`` or
``python -m infra.k8s.schemas crd OUT CRD.yaml...``.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

_PREFIX = "kubernetes_validate/kubernetes-json-schema/"
_ABS_REF = "/api/_definitions.json#/$defs/"


def _rewrite(node: Any, *, in_definitions_file: bool) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("$schema", "$id"):
                continue
            if key == "$ref" and isinstance(value, str):
                name = value.removeprefix(_ABS_REF).removeprefix("#/$defs/")
                if name == value:
                    raise ValueError(f"unexpected $ref {value!r}")
                target = (
                    "#/definitions/" if in_definitions_file else "_definitions.json#/definitions/"
                )
                out[key] = target + name
                continue
            out["definitions" if key == "$defs" else key] = _rewrite(
                value, in_definitions_file=in_definitions_file
            )
        return out
    if isinstance(node, list):
        return [_rewrite(v, in_definitions_file=in_definitions_file) for v in node]
    return node


def k8s_schemas(wheel: Path, version: str, out: Path) -> int:
    """Extract and rewrite the strict schemas of Kubernetes ``version`` (e.g. v1.36.0)."""
    folder = f"{_PREFIX}{version}-local-strict/"
    count = 0
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if not name.startswith(folder) or not name.endswith(".json"):
                continue
            base = name.removeprefix(folder)
            if "/" in base or base == "all.json":
                continue
            doc = json.loads(zf.read(name))
            doc = _rewrite(doc, in_definitions_file=base == "_definitions.json")
            (out / base).write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
            count += 1
    if count == 0 or not (out / "_definitions.json").is_file():
        raise SystemExit(f"no schemas for {version} in {wheel}")
    return count


def _strict(node: Any, *, branch: bool = False) -> Any:
    """Unknown fields are errors, as for the built-in kinds (kubeconform -strict); not in
    the branches of anyOf/oneOf/allOf/not, which list only the fields they constrain."""
    if isinstance(node, dict):
        node = {
            k: _strict(v, branch=k in ("anyOf", "oneOf", "allOf", "not")) for k, v in node.items()
        }
        if (
            not branch
            and "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strict(v, branch=branch) for v in node]
    return node


def crd_schemas(out: Path, crd_files: list[Path]) -> list[str]:
    written: list[str] = []
    for path in crd_files:
        for crd in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd["spec"]
            group, kind = spec["group"], spec["names"]["kind"]
            for version in spec["versions"]:
                if not version.get("served", True):
                    continue
                schema = _strict(version["schema"]["openAPIV3Schema"])
                props = schema.setdefault("properties", {})
                props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
                props["kind"] = {"type": "string", "enum": [kind]}
                props["metadata"] = {"type": "object"}  # checked by the API server
                target = out / group.lower() / f"{kind.lower()}_{version['name']}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(schema, separators=(",", ":")), encoding="utf-8")
                written.append(f"{group}/{version['name']} {kind}")
    if not written:
        raise SystemExit(f"no CustomResourceDefinition in {', '.join(map(str, crd_files))}")
    return written


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "k8s":
        n = k8s_schemas(Path(argv[1]), argv[2], Path(argv[3]))
        print(f"{n} Kubernetes {argv[2]} schemas in {argv[3]}")
        return 0
    if len(argv) >= 3 and argv[0] == "crd":
        for line in crd_schemas(Path(argv[1]), [Path(a) for a in argv[2:]]):
            print(f"schema for {line}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
