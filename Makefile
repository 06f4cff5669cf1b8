# Two commands: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup system-packages test bench lock sbom clean-venv

run: setup
	$(BIN)/incident-tracker db upgrade
	$(BIN)/incident-tracker sync-obligations
	$(BIN)/incident-tracker sync-templates
	$(BIN)/incident-tracker demo
	@echo "incident_tracker is served on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/incident-tracker run --host $(HOST) --port $(PORT)

setup: system-packages $(STAMP)

system-packages:
	@scripts/system-packages.sh

$(STAMP): requirements.lock pyproject.toml
	@scripts/make-venv.sh $(PYTHON) $(VENV)
	$(BIN)/pip install --disable-pip-version-check --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

test: setup
	@scripts/test.sh

# The benchmark table (bench/RESULTS.md): SQLite and a private PostgreSQL, 1,000 to 100,000
# incidents, in-process and under gunicorn with hey; about 10 minutes. BENCH_ARGS=--quick is short.
bench: setup
	@scripts/with-postgres.sh $(BIN)/python -m bench.run $(BENCH_ARGS)

# Regenerate the hash-pinned lock file from pyproject.toml (needs uv on PATH or in .venv/bin).
UV ?= $(shell command -v uv 2>/dev/null || echo $(BIN)/uv)
lock:
	$(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--extra test --extra build --extra sbom --no-header -o requirements.lock pyproject.toml

# A CycloneDX SBOM of every pinned package in the lock file (cyclonedx-bom, the `sbom` extra).
sbom: $(STAMP)
	$(BIN)/cyclonedx-py requirements --pyproject pyproject.toml --output-reproducible --of JSON \
		-o sbom.cdx.json requirements.lock

clean-venv:
	rm -rf $(VENV)
