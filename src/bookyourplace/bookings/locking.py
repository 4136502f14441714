"""The one lock that keeps a session from being overbooked.

Everything that takes or frees a place (booking, cancelling, offers, approvals, capacity
changes) first locks the session's row and only then counts, so two people can never both
take the last place. Taken as late as possible, always before the count. On SQLite the
IMMEDIATE transaction already holds the database's write lock; select_for_update is a
no-op there. Call it as ``locking.lock_session(...)`` so a test can switch it off.
"""

from bookyourplace.programmes.models import Session


def lock_session(session_id: int) -> Session:
    return Session.objects.select_for_update().select_related("programme").get(pk=session_id)
