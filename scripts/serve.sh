#!/usr/bin/env bash
# Production: migrate, collect static files, then run gunicorn and the worker together.
# Settings come from the environment (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL...).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/src" DJANGO_SETTINGS_MODULE=bookyourplace.settings
PY=.venv/bin/python
: "${SECRET_KEY:?Set SECRET_KEY (see README, Production)}"
: "${ALLOWED_HOSTS:?Set ALLOWED_HOSTS to the host name of the site}"
$PY manage.py migrate --no-input
$PY manage.py collectstatic --no-input -v 0
$PY manage.py start_periodic_work
$PY manage.py db_worker --queue-name '*' &
worker=$!
.venv/bin/gunicorn bookyourplace.wsgi:application \
  --bind "${BIND:-127.0.0.1:${PORT:-8000}}" \
  --workers "${WEB_WORKERS:-$(( $(nproc) * 2 + 1 ))}" --threads "${WEB_THREADS:-4}" \
  --access-logfile - &
web=$!
trap 'kill $web $worker 2>/dev/null; wait' INT TERM EXIT
wait -n "$web" "$worker"
