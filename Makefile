# Two commands: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup system-packages test lock clean-venv

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

# Regenerate the hash-pinned lock file from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--extra test --extra build --no-header -o requirements.lock pyproject.toml

clean-venv:
	rm -rf $(VENV)
