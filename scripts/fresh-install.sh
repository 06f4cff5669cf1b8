#!/usr/bin/env bash
# The README's claim, tested: a venv built from nothing in a temporary folder, with Debian's own
# /usr/bin/python3 and its own pip (23.0.1), exactly as `make run` builds .venv (`make setup`), serves
# the app. It must hold the runtime only (no pytest, no Playwright), run the pinned pip, pass
# `pip check`, upgrade an empty database, load the demo, answer the login page and print a PDF.
# Prints what it took: seconds, packages, megabytes.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${FRESH_PYTHON:-/usr/bin/python3}
scratch=$(mktemp -d /tmp/incident-tracker-fresh.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
started=$SECONDS
make --no-print-directory setup PYTHON="$python" VENV="$scratch/venv" >"$scratch/setup.log" 2>&1 \
  || { grep -v '^WARNING: Location' "$scratch/setup.log" >&2; echo "error: make setup failed from nothing" >&2; exit 1; }
bin="$scratch/venv/bin"
pinned=$(sed -n 's/^pip==\([^ ]*\).*/\1/p' requirements-pip.lock)
have=$("$bin/python" -m pip --version | awk '{print $2}')
[ "$have" = "$pinned" ] || { echo "error: the fresh venv runs pip $have, the lock pins $pinned" >&2; exit 1; }
for tool in pytest playwright hypothesis ruff schemathesis; do
  if "$bin/python" -c "import $tool" 2>/dev/null; then
    echo "error: the runtime venv holds the test tool $tool" >&2; exit 1
  fi
done
export INCIDENT_TRACKER_INSTANCE_PATH="$scratch/instance"
unset INCIDENT_TRACKER_DATABASE_URL
for command in "db upgrade" "demo" "remind --dry-run"; do
  # shellcheck disable=SC2086  # the words of the command
  "$bin/incident-tracker" $command >"$scratch/command.log" 2>&1 \
    || { cat "$scratch/command.log" >&2; echo "error: incident-tracker $command failed" >&2; exit 1; }
done
"$bin/python" - <<'PY'
from incident_tracker.app import create_app
from weasyprint import HTML

app = create_app()
page = app.test_client().get("/auth/login")
assert page.status_code == 200 and b"Log in" in page.data, page.status_code
assert HTML(string="<p>Fresh</p>").write_pdf().startswith(b"%PDF-")
PY
packages=$("$bin/python" -m pip list --format=freeze 2>/dev/null | wc -l)
size=$(du -sm "$scratch/venv" | cut -f1)
echo "fresh runtime venv with $("$python" --version) and pip $have: $packages packages," \
     "${size} MB, served the login page and printed a PDF in $((SECONDS - started)) s"
