#!/usr/bin/env bash
# Starts the web server and the background worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=1 PYTHONPATH="$PWD/src" SITE_URL="http://127.0.0.1:${PORT:-8000}"
# The demo's GOV.UK Notify is a fake on this machine (`manage.py demo_notify`), for trying
# "Email sending: GOV.UK Notify" and text reminders without a Notify account.
export BYP_NOTIFY_BASE_URL="http://127.0.0.1:${NOTIFY_PORT:-8767}"
PY=.venv/bin/python
mkdir -p var/mail

$PY manage.py start_periodic_work >/dev/null
$PY manage.py db_worker --queue-name '*' --interval 0.5 >var/worker.log 2>&1 &
worker=$!
$PY manage.py runserver "127.0.0.1:${PORT:-8000}" --noreload &
web=$!
# The demo council's sign-in provider: who it offers is what `manage.py demo_council_sign_in` printed.
# shellcheck disable=SC2046
$PY -m bookyourplace.core.testing.oidc_provider --port "${COUNCIL_PORT:-8765}" $(cat var/council-people.txt 2>/dev/null) \
  >var/council-provider.log 2>&1 &
council=$!
$PY manage.py demo_notify --port "${NOTIFY_PORT:-8767}" --folder var/notify >var/notify.log 2>&1 &
notify=$!
stop() { kill "$web" "$worker" "$council" "$notify" 2>/dev/null || true; wait 2>/dev/null || true; echo; echo "Stopped the web server, the worker, the demo council's sign-in and the fake GOV.UK Notify."; }
trap stop INT TERM EXIT

sleep 2
cat <<MSG

  Book Your Place is running.

  Public site:   ${SITE_URL}/
  Demo to book:  ${SITE_URL}/programmes/coventry-prevent-week-demo/
  After a session: in the back office, "Coventry Prevent Week (Demo, last week)";
                 a Teams attendance report to import is in var/demo/
  Back office:   ${SITE_URL}/backoffice/   sign in with $(cat var/organiser-login.txt)
                 or "Sign in with Coventry City Council account (demo)": the demo council's own
                 sign-in page (port ${COUNCIL_PORT:-8765}) offers sam.jones@ (an administrator by
                 group), alex.khan@ (an organiser) and pat.lee@ (no role: refused)
  Your bookings: ${SITE_URL}/my-bookings/   the sign-in link arrives in var/mail/
  GOV.UK Notify: a fake on port ${NOTIFY_PORT:-8767}; its API key and template IDs are in
                 var/notify/settings.txt (Settings > Email sending); what it sends is in var/notify/
  Emails:        kept as files in var/mail/ (nothing is really sent); the worker's log is var/worker.log

  Press Ctrl-C to stop.

MSG
wait -n "$web" "$worker"
