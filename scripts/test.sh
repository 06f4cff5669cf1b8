#!/usr/bin/env bash
# The whole suite, each stage timed:
#   0. a venv built from nothing with Debian's python3, as `make run` builds it (fresh-install.sh);
#   1-2. the suite on SQLite and on a private PostgreSQL server side by side (the machine has two
#      cores; each stage has its own database and temporary folder, and the PostgreSQL stage's
#      output is printed when both are done);
#   3. the browser tests in Chromium;
#   4-5. the load and fault tests (gunicorn, 4 workers, 20 clients) on SQLite and on PostgreSQL,
#      each alone on the machine;
#   6. the production setup: systemd units, nginx with TLS in front of gunicorn, the container
#      image beside a PostgreSQL container (podman; the images are cached between runs).
# Any stage that cannot start its database, browser or server fails; nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d /tmp/incident-tracker-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
pytest=(.venv/bin/python -m pytest -p no:cacheprovider)
started=$SECONDS
stage_started=
stage() {  # the time the previous stage took, then the next one's name
  [ -z "$stage_started" ] || echo "   (took $((SECONDS - stage_started)) s)"
  stage_started=$SECONDS
  echo "== $*"
}

stage "0/6 a fresh runtime venv, as make run builds it"
scripts/fresh-install.sh
stage "1/6 suite on SQLite, and 2/6 suite on PostgreSQL beside it"
scripts/with-postgres.sh "${pytest[@]}" --basetemp "$scratch/postgresql" \
  -m "not e2e and not packaging and not live and not load and not pure and not deploy" \
  >"$scratch/postgresql.log" 2>&1 &
postgresql=$!
sqlite_status=0
"${pytest[@]}" --basetemp "$scratch/sqlite" -m "not e2e and not load and not deploy" || sqlite_status=$?
postgresql_status=0
wait "$postgresql" || postgresql_status=$?
echo "== 2/6 suite on PostgreSQL (ran beside 1/6)"
cat "$scratch/postgresql.log"
if [ "$sqlite_status" != 0 ] || [ "$postgresql_status" != 0 ]; then
  echo "suite failed: SQLite exit $sqlite_status, PostgreSQL exit $postgresql_status" >&2
  exit 1
fi

stage "3/6 browser tests in Chromium"
"${pytest[@]}" -m e2e
stage "4/6 load and faults on SQLite"
"${pytest[@]}" -m load
stage "5/6 load and faults on PostgreSQL"
scripts/with-postgres.sh "${pytest[@]}" -m load
stage "6/6 production: systemd units, nginx with TLS, the container with PostgreSQL"
"${pytest[@]}" -m deploy
stage "done in $((SECONDS - started)) s"
