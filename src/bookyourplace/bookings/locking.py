"""The one lock that keeps a session from being overbooked.

Everything that takes or frees a place (booking, cancelling, offers, approvals, capacity
changes) first locks the session's row and only then counts, so two people can never both
take the last place. Taken as late as possible, always before the count. On SQLite the
IMMEDIATE transaction already holds the database's write lock; select_for_update is a
no-op there. Call it as ``locking.lock_session(...)`` so a test can switch it off.
"""

import functools

from django.db import connection

from bookyourplace.programmes.models import Programme, Session


@functools.cache
def _lock_statement(vendor: str) -> str:
    # Written once per process: on the booking path this runs while other bookings wait.
    q = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT * FROM {q(Session._meta.db_table)} WHERE {q('id')} = %s{lock}"


def lock_session(session_id: int, *, programme: Programme | None = None) -> Session:
    """Lock the session's row and read it afresh (with its programme).

    ``programme``: the session's programme as the caller has just read it, which saves a
    join on the busiest path (booking). What the lock guards is the session's places; its
    programme's rules are not changed under this lock, so reading them again here would
    be no fresher."""
    if programme is None:
        return Session.objects.select_for_update().select_related("programme").get(pk=session_id)
    session = next(iter(Session.objects.raw(_lock_statement(connection.vendor), [session_id])), None)
    if session is None:
        raise Session.DoesNotExist(session_id)
    session.programme = programme
    return session
