#!/usr/bin/env bash
# Starts the web server and the background worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=1 PYTHONPATH="$PWD/src" SITE_URL="http://127.0.0.1:${PORT:-8000}"
PY=.venv/bin/python
mkdir -p var/mail

$PY manage.py start_periodic_work >/dev/null
$PY manage.py db_worker --queue-name '*' --interval 0.5 >var/worker.log 2>&1 &
worker=$!
$PY manage.py runserver "127.0.0.1:${PORT:-8000}" --noreload &
web=$!
stop() { kill "$web" "$worker" 2>/dev/null || true; wait 2>/dev/null || true; echo; echo "Stopped the web server and the worker."; }
trap stop INT TERM EXIT

sleep 2
cat <<MSG

  Book Your Place is running.

  Public site:   ${SITE_URL}/
  Demo to book:  ${SITE_URL}/programmes/coventry-prevent-week-demo/
  After a session: in the back office, "Coventry Prevent Week (Demo, last week)";
                 a Teams attendance report to import is in var/demo/
  Back office:   ${SITE_URL}/backoffice/   sign in with $(cat var/organiser-login.txt)
  Emails:        kept as files in var/mail/ (nothing is really sent); the worker's log is var/worker.log

  Press Ctrl-C to stop.

MSG
wait -n "$web" "$worker"
