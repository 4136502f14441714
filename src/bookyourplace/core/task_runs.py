"""Asking the worker for a run of a task that works through an outbox (the email outbox,
the webhook deliveries) without flooding the task table.

A run asked for now is not added when one is already waiting to start: that run handles
everything due when it starts, so a rush of bookings costs the worker one run, not one per
booking. Inside a transaction the question is asked once it commits (once per transaction,
however many rows it wrote): a run found waiting earlier could start before the commit and
miss them, and the transaction (a booking's holds the session's lock) stays one statement
shorter. Should the process die just after the commit, the worker's minute-by-minute work
asks for a run anyway.
"""

from collections.abc import Callable

from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

# One hook per task, so that a transaction can tell it has already asked.
_hooks: dict[str, Callable[[], None]] = {}


def request_run(task) -> None:
    """A run of ``task`` now (after the commit, inside a transaction), unless one is waiting."""
    hook = _hooks.get(task.module_path)
    if hook is None:
        hook = _hooks[task.module_path] = lambda: ensure_run_waiting(task)
    current = transaction.get_connection()
    if not current.in_atomic_block:
        hook()
    elif not any(waiting is hook for _, waiting, _ in current.run_on_commit):
        # (run_on_commit: the hooks Django keeps for this transaction; one is enough.)
        transaction.on_commit(hook)


def ensure_run_waiting(task) -> None:
    if not run_waiting(task):
        task.enqueue()


def run_waiting(task) -> bool:
    """Is a run of ``task`` waiting to start? (DBTaskResult.objects.ready(), as one plain
    statement: it runs for every row queued, and the ORM would cost more than the insert it saves.)"""
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {connection.ops.quote_name(table)} WHERE status = %s AND task_path = %s"
            " AND queue_name = %s AND backend_name = %s AND (run_after = %s OR run_after <= %s) LIMIT 1",
            [
                str(TaskResultStatus.READY),
                task.module_path,
                task.queue_name,
                task.backend,
                connection.ops.adapt_datetimefield_value(get_date_max()),
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        return cursor.fetchone() is not None
