#!/usr/bin/env bash
# Run a command against a private, throwaway PostgreSQL server on a free loopback port.
# The server is started with initdb/pg_ctl (as the postgres user when run as root) and always stopped.
set -euo pipefail
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$initdb" ]; then echo "error: PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 1; fi
pgbin=$(dirname "$initdb")
root=$(mktemp -d /tmp/incident-tracker-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$root"; as_owner=(runuser -u postgres --); fi
stop() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$root/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap stop EXIT
"${as_owner[@]}" "$pgbin/initdb" -D "$root/data" -U postgres --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 --no-sync >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 30 -o \
  "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$root/server.log" >&2; exit 1; }
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres incident_tracker_test
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export INCIDENT_TRACKER_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/incident_tracker_test"
"$@"
