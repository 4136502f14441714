#!/usr/bin/env bash
# Runs the whole suite again on PostgreSQL. With CI=true PostgreSQL is required.
set -uo pipefail
cd "$(dirname "$0")/.."
url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
reachable() { .venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].replace('postgres://','postgresql://',1), connect_timeout=3).close()" "$url" 2>/dev/null; }
if ! reachable && [ "${CI:-}" = "true" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  sleep 2
fi
if ! reachable; then
  if [ "${CI:-}" = "true" ]; then echo "PostgreSQL is required when CI=true and is not reachable at $url" >&2; exit 1; fi
  echo "== PostgreSQL not reachable at $url: PostgreSQL tests NOT run (set TEST_DATABASE_URL) =="
  exit 0
fi
echo "== Tests on PostgreSQL ($url) =="
DATABASE_URL="$url" .venv/bin/python -m pytest -m "not restarts_database" "$@"
status=$?
# Last and alone: these restart the PostgreSQL server, which would cut every other test's
# connections. Exit status 5 means the arguments selected none of them.
echo "== Tests that restart PostgreSQL =="
DATABASE_URL="$url" .venv/bin/python -m pytest -m restarts_database "$@"
restart_status=$?
[ "$restart_status" -eq 5 ] && restart_status=0
[ "$status" -eq 5 ] && status=0
exit $(( status != 0 ? status : restart_status ))
