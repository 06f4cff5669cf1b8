#!/usr/bin/env bash
# The whole suite: on SQLite, then on a private PostgreSQL server, then the browser tests in Chromium.
# Any stage that cannot start its database or browser fails; nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
pytest=(.venv/bin/python -m pytest -p no:cacheprovider)
echo "== 1/3 suite on SQLite"
"${pytest[@]}" -m "not e2e"
echo "== 2/3 suite on PostgreSQL"
scripts/with-postgres.sh "${pytest[@]}" -m "not e2e and not packaging"
echo "== 3/3 browser tests in Chromium"
"${pytest[@]}" -m e2e
