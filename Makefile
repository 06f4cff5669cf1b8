# Two commands: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup setup-dev system-packages system-packages-test test bench lock sbom clean-venv

run: setup
	$(BIN)/incident-tracker db upgrade
	$(BIN)/incident-tracker sync-obligations
	$(BIN)/incident-tracker sync-templates
	$(BIN)/incident-tracker demo
	@echo "incident_tracker is served on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/incident-tracker run --host $(HOST) --port $(PORT)

# `make run` installs the runtime only; `make test` and `make bench` add the test tools (two stamps).
setup: system-packages $(RUNTIME)

setup-dev: system-packages-test $(DEV)

system-packages:
	@scripts/system-packages.sh runtime

system-packages-test:
	@scripts/system-packages.sh test

$(RUNTIME): requirements-pip.lock requirements.lock requirements-build.lock pyproject.toml
	@scripts/make-venv.sh $(PYTHON) $(VENV) runtime
	@touch $@

$(DEV): requirements-pip.lock requirements-dev.lock pyproject.toml
	@scripts/make-venv.sh $(PYTHON) $(VENV) dev
	@touch $@

test: setup-dev
	@scripts/test.sh

# The benchmark table (bench/RESULTS.md): SQLite and a private PostgreSQL, 1,000 to 100,000
# incidents, in-process and under gunicorn with hey; about 10 minutes. BENCH_ARGS=--quick is short.
bench: setup-dev
	@scripts/with-postgres.sh $(BIN)/python -m bench.run $(BENCH_ARGS)

# Regenerate the hash-pinned locks from pyproject.toml (needs uv on PATH or in .venv/bin): the runtime
# first, then what installs the project and the development lock, each constrained by the runtime
# lock so that every shared pin agrees; pip itself from the `installer` group.
UV ?= $(shell command -v uv 2>/dev/null || echo $(BIN)/uv)
LOCK := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes --no-header
lock:
	$(LOCK) -o requirements.lock pyproject.toml
	$(LOCK) --group pyproject.toml:install -c requirements.lock -o requirements-build.lock
	$(LOCK) --extra test --extra sbom --group pyproject.toml:install \
		-c requirements.lock -c requirements-build.lock -o requirements-dev.lock pyproject.toml
	$(LOCK) --group pyproject.toml:installer -o requirements-pip.lock

# A CycloneDX SBOM of every pinned package in the lock file (cyclonedx-bom, the `sbom` extra).
sbom: $(DEV)
	$(BIN)/cyclonedx-py requirements --pyproject pyproject.toml --output-reproducible --of JSON \
		-o sbom.cdx.json requirements-dev.lock

clean-venv:
	rm -rf $(VENV)
