#!/usr/bin/env bash
# The restore drill (docs/deployment.md, "Backups"): restore a pg_dump backup into a scratch
# database, check that it is whole, bring it to this version's migrations, then drop it.
# The live database is never touched.
#
#   RESTORE_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/byp_restore_drill \
#     scripts/restore-drill.sh /var/backups/bookyourplace/bookyourplace-2026-01-19.dump
#
# RESTORE_DATABASE_URL names the scratch database: it must not exist (the drill creates it,
# connecting to the server's "postgres" database, or RESTORE_ADMIN_URL, to do so), and the
# user needs CREATEDB. Run it with the service's environment (SECRET_KEY...), as `make serve`.
#   --keep              leave the restored database for a look round (drop it yourself after)
#   --erasures FILE     also say how many people the backup would bring back that were erased
#                       since (FILE from `manage.py reapply_erasures --export`)
# Prints each table's rows ("rows <table> <count>"), the newest booking and audit entry (how
# old the backup is), and "Restore drill passed" at the end; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0 erasures="" dump=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --erasures) erasures="$2"; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) dump="$1" ;;
  esac
  shift
done
[ -n "$dump" ] || { echo "Usage: scripts/restore-drill.sh [--keep] [--erasures FILE] DUMP_FILE" >&2; exit 2; }
[ -r "$dump" ] || { echo "Cannot read the backup $dump" >&2; exit 2; }
: "${RESTORE_DATABASE_URL:?Set RESTORE_DATABASE_URL to a scratch database that does not exist yet}"
for tool in pg_restore psql; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install postgresql-client)" >&2; exit 2; }
done
export PYTHONPATH="$PWD/src" DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-bookyourplace.settings}"

# postgres://user:password@host:port/name?options -> name, and the same server's "postgres".
url_base="${RESTORE_DATABASE_URL%%\?*}"
url_options="${RESTORE_DATABASE_URL#"$url_base"}"
name="${url_base##*/}"
admin_url="${RESTORE_ADMIN_URL:-${url_base%/*}/postgres$url_options}"
[[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "Use a plain name for the scratch database, not '$name'" >&2; exit 2; }

sql() { psql "$RESTORE_DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

if [ "$(psql "$admin_url" -X -At -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" = 1 ]; then
  echo "The database $name already exists: the drill restores into a new one only (choose another name, or drop it)" >&2
  exit 1
fi
psql "$admin_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\""
drop() {
  if [ "$keep" = 1 ]; then
    echo "Kept the restored database $name (drop it when done: DROP DATABASE \"$name\")"
  else
    psql "$admin_url" -X -q -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null || true
  fi
}
trap drop EXIT

echo "== Restoring $dump into $name"
started=$(date +%s)
# No owner and no grants: the scratch server need not have the live server's roles.
pg_restore --exit-on-error --no-owner --no-privileges --dbname "$RESTORE_DATABASE_URL" "$dump"
echo "Restored in $(( $(date +%s) - started )) s"

echo "== Rows in each table"
sql -F ' ' <<'SQL'
SELECT format('SELECT ''rows'', %L, count(*) FROM %I', tablename, tablename)
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL

echo "== How recent the backup is"
echo "newest booking: $(sql -c "SELECT coalesce(max(created_at)::text, 'none') FROM bookings_booking")"
echo "newest audit entry: $(sql -c "SELECT coalesce(max(created_at)::text, 'none') FROM privacy_auditevent")"

echo "== The audit log is still append-only"
triggers=$(sql -c "SELECT tgname FROM pg_trigger WHERE tgrelid = 'privacy_auditevent'::regclass AND NOT tgisinternal")
if ! grep -qx privacy_auditevent_append_only <<<"$triggers"; then
  echo "FAILED: the audit log's trigger privacy_auditevent_append_only is missing" >&2
  exit 1
fi
if [ "$(sql -c "SELECT count(*) FROM privacy_auditevent")" != 0 ]; then
  if sql -c "BEGIN; DELETE FROM privacy_auditevent WHERE id = (SELECT min(id) FROM privacy_auditevent); ROLLBACK;" 2>/dev/null; then
    echo "FAILED: an audit entry could be deleted in the restored database" >&2
    exit 1
  fi
fi
echo "audit triggers: present, and refuse a delete"

echo "== Bringing it to this version (manage.py migrate)"
DATABASE_URL="$RESTORE_DATABASE_URL" .venv/bin/python manage.py migrate --no-input
DATABASE_URL="$RESTORE_DATABASE_URL" .venv/bin/python manage.py check --database default
if [ -n "$erasures" ]; then
  echo "== People erased since the backup who it brings back"
  DATABASE_URL="$RESTORE_DATABASE_URL" .venv/bin/python manage.py reapply_erasures --from "$erasures" --dry-run
fi
echo "Restore drill passed"
