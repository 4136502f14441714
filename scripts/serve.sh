#!/usr/bin/env bash
# Production: migrate, collect static files, then run gunicorn and the worker together.
# Settings come from the environment (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL...).
set -euo pipefail
cd "$(dirname "$0")/.."
# A settings module or path given by the caller is kept (make bench adds its baselines so).
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-bookyourplace.settings}"
PY=.venv/bin/python
: "${SECRET_KEY:?Set SECRET_KEY (see README, Production)}"
: "${ALLOWED_HOSTS:?Set ALLOWED_HOSTS to the host name of the site}"
$PY manage.py migrate --no-input
$PY manage.py collectstatic --no-input -v 0
$PY manage.py start_periodic_work
# Several workers (WORKER_PROCESSES, default 2) share big sends such as reminders: a delivery
# run that finds a full batch asks for another, which the next free worker takes. They run at
# a lower CPU priority (WORKER_NICE, default 10): during a rush of bookings the web answers
# first and the emails it causes follow seconds later; when the web is idle they get it all.
workers=()
for _ in $(seq "${WORKER_PROCESSES:-2}"); do
  nice -n "${WORKER_NICE:-10}" $PY manage.py db_worker --queue-name '*' &
  workers+=($!)
done
# Web: processes rather than threads (WEB_THREADS, default 1): a booking is mostly Python
# work, and threads of one process take turns on its interpreter lock, which keeps the
# session's lock held longer in a rush (make bench: ~25% more bookings/s with 1 thread).
# The gthread worker still keeps connections alive and lets a long export run past
# --timeout, as its main thread keeps reporting in. The logger class masks the manage link's
# token (and every other secret in a URL) in the access and error logs.
.venv/bin/gunicorn bookyourplace.wsgi:application \
  --bind "${BIND:-127.0.0.1:${PORT:-8000}}" --worker-class gthread \
  --workers "${WEB_WORKERS:-$(( $(nproc) * 2 + 1 ))}" --threads "${WEB_THREADS:-1}" \
  --access-logfile - --logger-class bookyourplace.core.log_masking.GunicornLogger &
web=$!
trap 'kill $web "${workers[@]}" 2>/dev/null; wait' INT TERM EXIT
wait -n "$web" "${workers[@]}"
