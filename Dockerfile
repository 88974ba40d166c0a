# syntax=docker/dockerfile:1
# One image per service of services.toml, from this one file (issue 21 item 1):
#
#   docker buildx build --build-arg SERVICE=billing -t registry.example/mylm/billing-svc:<tag> .
#
# SERVICE is the service's `name` in services.toml; its workspace member is
# `<name>-svc`, its distribution `mylm-<name>`, its package `<name>` (checked for every
# service by infra/tests/test_k8s_manifests.py; the locked install and start-up by
# infra/tests/test_containers.py). The build matrix and the CI job:
# docs/containers.md. Probes are Kubernetes' (no HEALTHCHECK here).

# The slim Debian 12 image of CPython 3.11 (the workspace's `requires-python`); CI pins it
# by digest with --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:… (docs).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# uv, the version the lockfile was written with (`python3 -m uv --version`).
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

# --- build: resolve nothing, install exactly what uv.lock pins -------------------------
FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
RUN test -n "${SERVICE}" || (echo "--build-arg SERVICE=<name in services.toml> is required" >&2; exit 1)
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Third-party dependencies first (a layer that only changes with uv.lock): every
# workspace member's pyproject.toml is needed to read the workspace, not its code.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    --mount=type=bind,source=shared/pyproject.toml,target=shared/pyproject.toml \
    --mount=type=bind,source=identity-svc/pyproject.toml,target=identity-svc/pyproject.toml \
    --mount=type=bind,source=billing-svc/pyproject.toml,target=billing-svc/pyproject.toml \
    --mount=type=bind,source=inbox-svc/pyproject.toml,target=inbox-svc/pyproject.toml \
    --mount=type=bind,source=policy-svc/pyproject.toml,target=policy-svc/pyproject.toml \
    --mount=type=bind,source=claims-svc/pyproject.toml,target=claims-svc/pyproject.toml \
    --mount=type=bind,source=notify-svc/pyproject.toml,target=notify-svc/pyproject.toml \
    --mount=type=bind,source=portal-web/pyproject.toml,target=portal-web/pyproject.toml \
    uv sync --frozen --no-dev --no-install-workspace --package "mylm-${SERVICE}"
# Then the project's own code: mylm_shared and the service, as wheels (no editable
# install pointing back to /src, which the final stage does not have). Rebuilt every
# time: uv keys its cached build of a local project on its pyproject.toml alone, and the
# cache mount outlives builds (a stale wheel would miss the files added since).
COPY . /src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "mylm-${SERVICE}" \
       --reinstall-package mylm-shared --reinstall-package "mylm-${SERVICE}" \
    && /app/.venv/bin/python -c "import ${SERVICE}.__main__" \
    && printf '#!/app/.venv/bin/python\nimport runpy\nrunpy.run_module("%s", run_name="__main__")\n' \
       "${SERVICE}" > /app/.venv/bin/service \
    && chmod 0755 /app/.venv/bin/service

# --- runtime: the interpreter, the virtual environment, nothing to build with ----------
FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="${SERVICE}-svc" \
      org.opencontainers.image.description="My LM ${SERVICE}-svc (services.toml)"
# A fixed uid/gid (the Deployment's runAsUser/runAsGroup), no login, no home of its own.
RUN groupadd --system --gid 10001 mylm \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp \
       --shell /usr/sbin/nologin mylm
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    HOST=0.0.0.0
WORKDIR /tmp
USER 10001:10001
# `service` runs `python -m <name>` (the Deployment names `python -m <name>` explicitly).
ENTRYPOINT ["/app/.venv/bin/service"]
