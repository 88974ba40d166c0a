# The two commands of a fresh machine: `make run` and `make test` (see README.md).
# Everything they need is installed on first use and cached under .cache/ (git-ignored).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_LINK_MODE ?= copy

.PHONY: run test lint unit bench dlq setup tools platform-install platform-up platform-down platform-status clean k8s-install k8s-check

## make run: install what is missing, start the local platform and every service with demo data
run: setup
	exec $(UV) run --frozen python -m infra.local.run

## make test: install what is missing, lint, then every test (starts and stops what it needs)
test: setup lint k8s-check
	$(UV) run --frozen pytest

## make k8s-check: every Kustomize overlay rendered, kubeconform'd, and applied with
## --dry-run=server to a real etcd + kube-apiserver started on loopback (issue 21 item 4).
## Its tools (kube-apiserver built from source: ~5+ min the first time) go to .cache/k8s.
k8s-check: k8s-install
	$(UV) run --frozen python -m infra.k8s.check

k8s-install: tools
	PYTHON_WITH_PIP=$(PYTHON) bash infra/k8s/install.sh

## make bench: N invoices end to end, closed loop (N=2000 by default); RATE=100 SECONDS=60:
## open loop at a fixed rate; GROWN=50000: again with that many invoices stored first;
## CONSUMER_EVENTS=500: each consumer vs a minimal one (0 skips). One JSON object.
N ?= 2000
RATE ?=
SECONDS ?= 60
GROWN ?= 0
CONSUMER_EVENTS ?= 500
bench:  # stdout carries only the JSON object: setup's output goes to stderr
	@$(MAKE) --no-print-directory -s setup >&2
	@PYTHONPATH=. $(UV) run --frozen python -m bench --invoices $(N) \
		$(if $(RATE),--rate $(RATE) --seconds $(SECONDS)) --grown $(GROWN) \
		--consumer-events $(CONSUMER_EVENTS)

## make dlq ARGS="list" | ARGS="show invoice.issued.dlq" | ARGS="redrive invoice.issued.dlq":
## dead letters of the platform (KAFKA_BOOTSTRAP_SERVERS), re-driven at most once each
ARGS ?= list
dlq: tools
	$(UV) run --frozen python -m mylm_shared.dlq $(ARGS)

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports --cache-dir .cache/import-linter  # kernel vs platform, domain innermost

unit: setup
	$(UV) run --frozen pytest -m "not integration and not e2e"

setup: tools platform-install

tools:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --quiet

platform-install:
	bash infra/local/install.sh

platform-up: setup
	$(UV) run --frozen python -m infra.local.servers up

platform-down:
	$(UV) run --frozen python -m infra.local.servers down

platform-status:
	$(UV) run --frozen python -m infra.local.servers status

## make clean: drop the local data (demo and test); keeps the installed servers
clean: platform-down
	rm -rf .cache/platform/data
