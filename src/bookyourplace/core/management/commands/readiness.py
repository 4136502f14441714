"""``manage.py readiness``: what /readyz says, for a check that has no HTTP to ask (the worker
container's health check in compose.yaml, a monitoring script): prints it as JSON and exits 0
when ready, 1 when not."""

import json

from django.core.management.base import BaseCommand, CommandError

from bookyourplace.core import health


class Command(BaseCommand):
    help = "Print whether the service is ready (database reachable, worker beating); exit 1 if not."

    def handle(self, *args, **options):
        readiness = health.readiness()
        self.stdout.write(json.dumps(readiness.as_json()))
        if not readiness.ready:
            raise CommandError(f"Not ready: {', '.join(readiness.failing)}", returncode=1)
