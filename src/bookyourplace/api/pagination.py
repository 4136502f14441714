"""Cursor pagination: a page of rows after the last one seen, and the link to the next page.

Rows come in the order of their id, and a cursor says "after this id" (signed, so it is opaque
and cannot be made up): a booking made while a client pages through is never shown twice nor
shifts a page, it simply comes at the end. ``limit`` is at most MAX_LIMIT.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_SALT = "bookyourplace.api.cursor"


class BadCursor(ValueError):
    pass


def cursor_after(row_id: int) -> str:
    return signing.dumps(row_id, salt=_SALT)


def id_after(cursor: str) -> int:
    try:
        row_id = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        raise BadCursor("This cursor is not one the API gave: use the `next` link as it is.") from None
    if not isinstance(row_id, int):
        raise BadCursor("This cursor is not one the API gave: use the `next` link as it is.")
    return row_id


@dataclass(frozen=True)
class Page:
    rows: list
    next: str | None


def page_of(rows: QuerySet, *, request: HttpRequest, cursor: str | None, limit: int) -> Page:
    """Up to ``limit`` of ``rows`` (in id order) after the cursor, and the next page's link
    (None on the last page). BadCursor for a cursor the API did not give."""
    if cursor:
        rows = rows.filter(pk__gt=id_after(cursor))
    found = list(rows.order_by("pk")[: limit + 1])
    if len(found) <= limit:
        return Page(found, None)
    found = found[:limit]
    query = request.GET.copy()
    query["cursor"] = cursor_after(found[-1].pk)
    return Page(found, request.build_absolute_uri(f"{request.path}?{query.urlencode()}"))
