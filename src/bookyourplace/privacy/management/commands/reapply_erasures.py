"""``manage.py reapply_erasures``: after restoring a backup, erase again everyone erased since.

A backup taken before an erasure holds the person again, and the erasure log (ErasureRequest
rows, addresses kept only as hashes) as it was then. So, before restoring, keep the live
log (``--export erasures.json``: hashes only, no addresses); after restoring, put it back and
erase again (``--from erasures.json``). Run with neither, it re-applies the log the database
holds. Safe to run at any time: with nothing restored it finds no one.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bookyourplace.privacy.subject_access import erasure_log, reapply_erasures, restore_erasure_log


class Command(BaseCommand):
    help = "Erase again everyone the erasure log says was erased (run after restoring a backup)."

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", help="Write the erasure log to FILE, and stop.")
        parser.add_argument("--from", dest="source", metavar="FILE", help="First add the erasures kept in FILE.")
        parser.add_argument("--dry-run", action="store_true", help="Say how many people would be erased again.")

    def handle(self, *args, export=None, source=None, dry_run=False, **options):
        if export:
            entries = erasure_log()
            with open(export, "w", encoding="utf-8") as file:
                json.dump(entries, file, indent=1)
            self.stdout.write(f"Wrote {len(entries)} erasures to {export}.")
            return
        entries = []
        if source:
            try:
                with open(source, encoding="utf-8") as file:
                    entries = json.load(file)
            except (OSError, ValueError) as error:
                raise CommandError(f"Could not read {source}: {error}") from error
        with transaction.atomic():
            if source:
                self.stdout.write(f"Added {restore_erasure_log(entries)} erasures from {source}.")
            result = reapply_erasures(dry_run=dry_run)
            transaction.set_rollback(dry_run)  # a dry run keeps nothing, not even the added log
        if dry_run:
            self.stdout.write(f"{result.people} erased people are held again and would be erased.")
        else:
            self.stdout.write(f"Erased again: {result.people} people, {result.records} records.")
