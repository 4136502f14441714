"""Fair shares: at most so many places per organisation on each session (issue 19, point 3).

A programme may cap the places one organisation holds on a session
(Programme.fair_share_cap; blank: no cap). Which organisation a booking belongs to is its
``organisation_key``, worked out once when the booking is made (organisation_key below)
and stored with it, so the places an organisation holds are counted under the session's
lock with one indexed query.

Under the same lock as every other place rule (locking.lock_session), someone whose
organisation already holds its share of places (confirmed, waiting for approval, offered,
or held for an email address to be confirmed: Booking.HOLDING_STATUSES) goes on the
waiting list even when places are free, marked ``fair_share_waiting``: such a person does
not close the free places to newcomers from other organisations (availability counts only
the others as waiting). Offers from the waiting list pass over people whose organisation
has its share and go to the next person; those passed over keep their place in the queue
and are offered the next place once their organisation holds fewer
(waiting_list.offer_free_places).
"""

import functools
import re

from django.db import connection
from django.db.models import Count
from django.utils.translation import ngettext

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Session

# Email domains many organisations share (personal mail, and nhs.net, which every NHS body
# uses): an address there says nothing about the employer, so the name typed decides.
SHARED_EMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "aol.co.uk",
        "btinternet.com",
        "btopenworld.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "icloud.com",
        "live.com",
        "live.co.uk",
        "mac.com",
        "me.com",
        "msn.com",
        "nhs.net",
        "ntlworld.com",
        "outlook.com",
        "outlook.co.uk",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "tiscali.co.uk",
        "virginmedia.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
    }
)

# Marks between the words of a typed name: each is read as a space.
_NOT_A_LETTER = re.compile(r"[^\w]+")
# Words that do not tell one organisation from another: "The Whitley Academy Ltd" is
# "Whitley Academy".
_FILLER_WORDS = frozenset({"the", "ltd", "limited", "plc", "llp", "cic", "inc", "co"})


def shared_email_domain(domain: str) -> bool:
    """gmail.com, yahoo.fr, hotmail.co.uk...: any address at a provider of personal mail."""
    domain = domain.lower()
    if domain in SHARED_EMAIL_DOMAINS:
        return True
    provider = domain.split(".", 1)[0]
    return provider in {"gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "ymail", "icloud", "aol"}


def name_key(organisation_name: str) -> str:
    """A typed organisation name as fair shares compare it: case, spaces, punctuation, "the",
    "ltd" and "&"/"and" ignored. "The Whitley Academy Ltd." and "whitley academy" match."""
    words = _NOT_A_LETTER.sub(" ", organisation_name.lower().replace("&", " and ")).split()
    return "".join(word for word in words if word not in _FILLER_WORDS)


def organisation_key(email: str, organisation_name: str) -> str:
    """Which organisation a booking counts against: its email domain ("domain:stmarys.sch.uk"),
    unless that is a shared one like gmail.com, then the organisation name typed
    ("name:stmarysprimary"); "" when neither says (no cap applies to it)."""
    domain = email.rsplit("@", 1)[-1].strip().lower().removeprefix("www.") if "@" in email else ""
    if domain and not shared_email_domain(domain):
        return f"domain:{domain}"
    key = name_key(organisation_name)
    return f"name:{key}" if key else ""


def cap_for(session: Session) -> int | None:
    """The most places one organisation may hold on the session; None: no cap."""
    return session.programme.fair_share_cap


@functools.cache
def _count_statement(vendor: str) -> str:
    # Written once per process: it runs under the session's lock (see availability.count_places).
    table, q = Booking._meta.db_table, connection.ops.quote_name
    holding = ", ".join(f"'{status}'" for status in Booking.HOLDING_STATUSES)
    return (
        f"SELECT COUNT(*) FROM {q(table)}"
        f" WHERE {q('session_id')} = %s AND {q('organisation_key')} = %s AND {q('status')} IN ({holding})"
    )


def places_held(session: Session, key: str) -> int:
    """Places the organisation holds on the session now (one indexed count)."""
    with connection.cursor() as cursor:
        cursor.execute(_count_statement(connection.vendor), [session.pk, key])
        return cursor.fetchone()[0]


def has_its_share(session: Session, key: str, *, besides: int = 0) -> bool:
    """Whether the organisation already holds as many places as the cap allows, not counting
    ``besides`` places (the booking being made, already written). The caller holds the
    session's lock. No query when the programme sets no cap."""
    cap = cap_for(session)
    if cap is None or not key:
        return False
    return places_held(session, key) - besides >= cap


def places_held_by_organisation(session: Session) -> dict[str, int]:
    """Places held on the session, by organisation (for offering several places at once)."""
    rows = (
        Booking.objects.filter(session=session, status__in=Booking.HOLDING_STATUSES)
        .exclude(organisation_key="")
        .order_by()
        .values_list("organisation_key")
        .annotate(n=Count("*"))
    )
    return dict(rows)


def reason(booking: Booking) -> str:
    """Why the person waits although places are free, as they are told it (the manage page,
    the email); "" when they wait for any other reason."""
    cap = cap_for(booking.session)
    if not (booking.is_waiting and booking.fair_share_waiting) or cap is None:
        return ""
    return ngettext(
        "Your organisation already has its %(cap)d place on this session; you are on the waiting list.",
        "Your organisation already has %(cap)d of its %(cap)d places on this session; you are on the waiting list.",
        cap,
    ) % {"cap": cap}
