#!/usr/bin/env bash
# The whole suite: first a venv built from nothing with Debian's python3, as `make run` builds it
# (scripts/fresh-install.sh); then on SQLite and on a private PostgreSQL server side by side (the machine has two
# cores; each stage has its own database and temporary folder, and the PostgreSQL stage's output
# is printed when both are done), then the browser tests in Chromium, then the load and fault
# tests (gunicorn, 4 workers, 20 clients) on SQLite and on PostgreSQL, each alone on the machine.
# Any stage that cannot start its database, browser or server fails; nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d /tmp/incident-tracker-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
pytest=(.venv/bin/python -m pytest -p no:cacheprovider)

echo "== 0/5 a fresh runtime venv, as make run builds it"
scripts/fresh-install.sh
echo "== 1/5 suite on SQLite, and 2/5 suite on PostgreSQL beside it"
scripts/with-postgres.sh "${pytest[@]}" --basetemp "$scratch/postgresql" \
  -m "not e2e and not packaging and not live and not load and not pure" \
  >"$scratch/postgresql.log" 2>&1 &
postgresql=$!
sqlite_status=0
"${pytest[@]}" --basetemp "$scratch/sqlite" -m "not e2e and not load" || sqlite_status=$?
postgresql_status=0
wait "$postgresql" || postgresql_status=$?
echo "== 2/5 suite on PostgreSQL (ran beside 1/5)"
cat "$scratch/postgresql.log"
if [ "$sqlite_status" != 0 ] || [ "$postgresql_status" != 0 ]; then
  echo "suite failed: SQLite exit $sqlite_status, PostgreSQL exit $postgresql_status" >&2
  exit 1
fi

echo "== 3/5 browser tests in Chromium"
"${pytest[@]}" -m e2e
echo "== 4/5 load and faults on SQLite"
"${pytest[@]}" -m load
echo "== 5/5 load and faults on PostgreSQL"
scripts/with-postgres.sh "${pytest[@]}" -m load
