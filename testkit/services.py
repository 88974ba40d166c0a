"""Services as real OS processes for e2e tests and the benchmark: on free ports, with
their logs in files (the process handling itself is infra/local/processes.py); and a
service of services.toml in this process: its settings class and its app factory."""

import importlib
import inspect
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from mylm_shared.settings import ServiceSettings

from infra.local.processes import ServiceProcess
from infra.manifest import Service


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def service_process(module: str, env: dict[str, str], log_dir: Path) -> ServiceProcess:
    return ServiceProcess(module, free_port(), env, log_dir / f"{module}.log")


def settings_class(service: Service) -> type[ServiceSettings]:
    """The one ``ServiceSettings`` subclass ``<package>/settings.py`` defines."""
    module = importlib.import_module(f"{service.package}.settings")
    found = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, ServiceSettings)
        and value.__module__ == module.__name__
    ]
    assert len(found) == 1, f"{module.__name__} defines {len(found)} ServiceSettings classes"
    return found[0]


def app_factory(service: Service) -> Callable[..., FastAPI]:
    """``<package>.bootstrap.create_app``: settings in, the service's FastAPI app out."""
    factory: Callable[..., FastAPI] = importlib.import_module(
        f"{service.package}.bootstrap"
    ).create_app
    return factory


def create_app(service: Service, **settings: Any) -> FastAPI:
    """The service's app with its settings class built from ``settings``."""
    return app_factory(service)(settings_class(service)(**settings))
