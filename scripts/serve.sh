#!/usr/bin/env bash
# Production: migrate, collect static files, then run gunicorn and the worker together.
# Settings come from the environment (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL...).
#   scripts/serve.sh          web and workers together (make serve)
#   scripts/serve.sh web      the web alone, in the foreground (gunicorn); migrates first
#                             unless MIGRATE_ON_START=0 (a second web server)
#   scripts/serve.sh worker   the workers alone (WORKER_PROCESSES of them)
#   scripts/serve.sh setup    migrate, collect static files, start the minute-by-minute work
# The systemd units and the containers run these (deploy/, Dockerfile, compose.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
role="${1:-all}"
case "$role" in
  all | web | worker | setup) ;;
  *) echo "Usage: scripts/serve.sh [all|web|worker|setup]" >&2; exit 2 ;;
esac
# A settings module or path given by the caller is kept (make bench adds its baselines so).
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-bookyourplace.settings}"
PY=.venv/bin/python
: "${SECRET_KEY:?Set SECRET_KEY (see README, Production)}"
: "${ALLOWED_HOSTS:?Set ALLOWED_HOSTS to the host name of the site}"
if [ "$role" != worker ]; then
  if [ "$role" = setup ] || [ "${MIGRATE_ON_START:-1}" != 0 ]; then
    $PY manage.py migrate --no-input
  fi
  $PY manage.py collectstatic --no-input -v 0
fi
$PY manage.py start_periodic_work
if [ "$role" = setup ]; then exit 0; fi
# Several workers (WORKER_PROCESSES, default 2) share big sends such as reminders: a delivery
# run that finds a full batch asks for another, which the next free worker takes. They run at
# a lower CPU priority (WORKER_NICE, default 10): during a rush of bookings the web answers
# first and the emails it causes follow seconds later; when the web is idle they get it all.
workers=()
if [ "$role" != web ]; then
  for _ in $(seq "${WORKER_PROCESSES:-2}"); do
    nice -n "${WORKER_NICE:-10}" $PY manage.py db_worker --queue-name '*' &
    workers+=($!)
  done
fi
if [ "$role" = worker ]; then
  trap 'kill "${workers[@]}" 2>/dev/null; wait; exit 0' INT TERM
  wait -n "${workers[@]}" || true
  # A worker stopped by itself: stop the others and fail, so systemd or Docker starts them again.
  kill "${workers[@]}" 2>/dev/null || true
  wait || true
  exit 1
fi
# Web: processes rather than threads (WEB_THREADS, default 1): a booking is mostly Python
# work, and threads of one process take turns on its interpreter lock, which keeps the
# session's lock held longer in a rush (make bench: ~25% more bookings/s with 1 thread).
# The gthread worker still keeps connections alive and lets a long export run past
# --timeout, as its main thread keeps reporting in. The logger class masks the manage link's
# token (and every other secret in a URL) in the access and error logs, and writes JSON lines
# with LOG_FORMAT=json.
# Request metrics (/metrics, core/metrics.py): gunicorn's processes share their counts through
# files in PROMETHEUS_MULTIPROC_DIR, a fresh folder each start (counts start again at zero,
# as Prometheus expects of a restarted process). A folder given is emptied of its files.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete
else
  metrics_root="${BYP_VAR_DIR:-var}/prometheus"
  mkdir -p "$metrics_root"
  for old in "$metrics_root"/*; do  # folders of services no longer running
    if [ -d "$old" ] && [ ! -d "/proc/${old##*/}" ]; then rm -rf "$old"; fi
  done
  export PROMETHEUS_MULTIPROC_DIR="$metrics_root/$$"
  rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
gunicorn=(.venv/bin/gunicorn bookyourplace.wsgi:application
  --bind "${BIND:-127.0.0.1:${PORT:-8000}}" --worker-class gthread
  --workers "${WEB_WORKERS:-$(( $(nproc) * 2 + 1 ))}" --threads "${WEB_THREADS:-1}"
  --access-logfile - --logger-class bookyourplace.core.structured_logs.GunicornLogger)
if [ "$role" = web ]; then
  exec "${gunicorn[@]}"  # in the foreground: systemd's and Docker's signals reach gunicorn
fi
"${gunicorn[@]}" &
web=$!
trap 'kill $web "${workers[@]}" 2>/dev/null; wait' INT TERM EXIT
wait -n "$web" "${workers[@]}"
