"""Kernel vs platform (issue 17 item 8): the pure part of ``mylm_shared`` loads without
FastAPI, Kafka or MongoDB, and the import contracts in the root ``pyproject.toml`` hold."""

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import mylm_shared
import pytest
from mylm_shared import kernel

ROOT = Path(__file__).resolve().parents[3]
PURE = ("mylm_shared.kernel", "mylm_shared.events", "mylm_shared.texts")
PLATFORM_PACKAGES = (
    "fastapi",
    "starlette",
    "aiokafka",
    "faststream",
    "pymongo",
    "httpx",
    "uvicorn",
    "opentelemetry",
    "prometheus_client",
)


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _loaded_after_importing(modules: list[str]) -> set[str]:
    """The top-level packages in ``sys.modules`` of a fresh interpreter that imported
    ``modules`` and nothing else."""
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(done.stdout.split())


def test_every_kernel_module_loads_without_fastapi_kafka_or_mongo() -> None:
    """Issue 17 item 8: ``import mylm_shared.kernel.*`` in a fresh process loads none of
    FastAPI, Kafka, MongoDB or an HTTP client."""
    modules = [m.name for m in pkgutil.iter_modules(kernel.__path__, "mylm_shared.kernel.")]
    assert {"mylm_shared.kernel.money", "mylm_shared.kernel.periods"} <= set(modules)

    loaded = _loaded_after_importing(["mylm_shared.kernel", *modules])

    assert "mylm_shared" in loaded  # the imports did run
    assert loaded.isdisjoint(PLATFORM_PACKAGES), sorted(loaded & set(PLATFORM_PACKAGES))


def test_event_schemas_and_member_texts_load_without_fastapi_kafka_or_mongo() -> None:
    """Issue 17 item 8: a domain may use ``mylm_shared.events`` and ``mylm_shared.texts``
    besides the kernel, so they are as free of the platform as the kernel is."""
    loaded = _loaded_after_importing(["mylm_shared.events", "mylm_shared.texts"])

    assert {"mylm_shared", "pydantic", "jinja2"} <= loaded
    assert loaded.isdisjoint(PLATFORM_PACKAGES), sorted(loaded & set(PLATFORM_PACKAGES))


@pytest.mark.parametrize("contract", ["pure-kernel", "domain-uses-kernel"])
def test_the_contracts_forbid_every_platform_module(contract: str) -> None:
    """Issue 17 item 8: the forbidden lists name every module of mylm_shared outside the
    kernel, events and texts, so a new platform module cannot slip past the contracts."""
    forbidden = set(_contracts()[contract]["forbidden_modules"])
    modules = {
        m.name
        for m in pkgutil.iter_modules(mylm_shared.__path__, "mylm_shared.")
        if m.name not in PURE
    }

    assert modules, "no platform modules found"
    assert modules <= forbidden, f"add to [tool.importlinter] {contract}: {modules - forbidden}"
    assert set(PLATFORM_PACKAGES) <= forbidden


def test_the_contracts_cover_every_service() -> None:
    """Issue 17 item 8: a new service's package is a root package and a container of the
    layers contract, or its domain would go unchecked (docs/adding-a-service.md)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    services = {p.parent.name for p in ROOT.glob("*-svc/src/*/__init__.py")}
    innermost = _contracts()["domain-innermost"]

    assert len(services) >= 6
    assert set(config["root_packages"]) == services | {"mylm_shared"}
    assert set(innermost["containers"]) == services
    assert innermost["layers"][-1] == "domain"
    assert _contracts()["domain-uses-kernel"]["source_modules"] == ["*.domain"]


def test_import_contracts_hold(tmp_path: Path) -> None:
    """Issue 17 item 8: ``lint-imports`` (import-linter, also run by ``make lint``) keeps
    the kernel pure and each service's domain innermost."""
    lint_imports = Path(sys.executable).parent / "lint-imports"

    done = subprocess.run(
        [str(lint_imports), "--cache-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    assert f"{len(_contracts())} kept" in done.stdout
