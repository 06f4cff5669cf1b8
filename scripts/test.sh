#!/usr/bin/env bash
# The whole suite: on SQLite, on a private PostgreSQL server, the browser tests in Chromium, then
# the load and fault tests (gunicorn, 4 workers, 20 clients) on SQLite and on PostgreSQL.
# Any stage that cannot start its database, browser or server fails; nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
pytest=(.venv/bin/python -m pytest -p no:cacheprovider)
echo "== 1/5 suite on SQLite"
"${pytest[@]}" -m "not e2e and not load"
echo "== 2/5 suite on PostgreSQL"
scripts/with-postgres.sh "${pytest[@]}" -m "not e2e and not packaging and not live and not load and not pure"
echo "== 3/5 browser tests in Chromium"
"${pytest[@]}" -m e2e
echo "== 4/5 load and faults on SQLite"
"${pytest[@]}" -m load
echo "== 5/5 load and faults on PostgreSQL"
scripts/with-postgres.sh "${pytest[@]}" -m load
