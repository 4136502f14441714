"""What keeps the cached public pages right: a version number per programme.

The public programme and session pages are cached under their programme's
``page_version`` (public/page_cache.py). Every change a visitor could see raises it, in
the same transaction as the change, so the next request renders the page afresh: a
booking, a cancellation, an offer or an approval (places left), a session or the
programme edited, cancelled, published or unpublished. A cached page is therefore never
older than the database, in any process, whatever cache backend holds it. (A booking on the
fast path raises it only when it changes what the pages show, ``bookings.availability.Availability.as_shown``:
"Book your place" before and after leaves the cached pages right as they are.)

Call ``programme_changed`` last in the transaction, after the session's row lock
(bookings.locking.lock_session): the update locks the programme's row until the commit, and taking
the locks in that order everywhere means two transactions never wait for each other.
"""

import functools

from django.db import connection
from django.db.models import F

from bookyourplace.programmes.models import Programme, Session


def programme_changed(programme_id: int) -> None:
    """The programme's public pages are out of date: raise its page version."""
    Programme.objects.filter(pk=programme_id).update(page_version=F("page_version") + 1)


@functools.cache
def _version_queries(vendor: str) -> tuple[str, str]:
    """The two statements below, built once per process (per database vendor)."""
    q = connection.ops.quote_name
    programme, session = q(Programme._meta.db_table), q(Session._meta.db_table)
    columns = f"p.{q('id')}, p.{q('created_at')}, p.{q('page_version')}"
    published = f"p.{q('slug')} = %s AND p.{q('status')} = %s"
    return (
        f"SELECT {columns} FROM {programme} p WHERE {published}",
        f"SELECT {columns} FROM {session} s JOIN {programme} p ON p.{q('id')} = s.{q('programme_id')}"
        f" WHERE s.{q('id')} = %s AND {published}",
    )


def published_programme_version(slug: str) -> tuple | None:
    """(id, created, page version) of the published programme at this address, or None:
    what a cached programme page is looked up by. One indexed row, read with a plain
    statement because it runs on every request for the page and the ORM would cost more
    than the rest of a cache hit."""
    with connection.cursor() as cursor:
        cursor.execute(_version_queries(connection.vendor)[0], [slug, Programme.Status.PUBLISHED.value])
        return cursor.fetchone()


def published_session_version(*, programme_slug: str, session_id: int) -> tuple | None:
    """(programme id, created, page version) for a session of a published programme, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            _version_queries(connection.vendor)[1], [session_id, programme_slug, Programme.Status.PUBLISHED.value]
        )
        return cursor.fetchone()
