"""Django's ``flush``, able to empty the audit log.

``flush`` empties every table (the test suite runs it between transactional tests). On SQLite
it does so with DELETE, which the audit log's trigger refuses (privacy migration 0003), so
the flush's own statements run inside the audit removal window; nothing else changes.
"""

from django.core.management.commands import flush
from django.db import connections

from bookyourplace.privacy.services import _audit_removal_window


class Command(flush.Command):
    def handle(self, **options):
        ops = connections[options["database"]].ops
        execute_sql_flush = ops.execute_sql_flush

        def execute_inside_window(sql_list):
            with _audit_removal_window(using=options["database"]):
                execute_sql_flush(sql_list)

        ops.execute_sql_flush = execute_inside_window
        try:
            return super().handle(**options)
        finally:
            del ops.execute_sql_flush
