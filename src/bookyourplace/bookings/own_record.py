"""'See all my bookings': the attendee's own record, opened with a one-time emailed link.

- Asking (``ask_for_sign_in_link``) does the same work for every address, known or not: it
  queues ``send_sign_in_link`` for the worker. The web answer cannot tell the two apart.
- The worker (``send_sign_in_link``) emails a link only to an address with at least one
  booking (any organiser's); an unknown address gets nothing. The link's secret is 192
  random bits; only its SHA-256 is kept (``SignInLink``), with the address and when it
  expires (``BYP_SIGN_IN_LINK_MINUTES``).
- Using it (``use_sign_in_link``) is one UPDATE that succeeds only while the link is unused
  and unexpired, so of two uses at once exactly one wins. The public face uses it on the
  POST of a "Continue" button, never on the GET a mail scanner makes.
- Afterwards the attendee's session holds the address; every action on a booking goes
  through ``booking_for``, which gives the booking only if it is that address's.

Sign-in links are personal data: bookings/personal_data.py deletes them on erasure and once
expired (retention), and lists them for subject access.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bookyourplace.bookings import tokens
from bookyourplace.bookings.models import Booking, SignInLink
from bookyourplace.core.site import from_address
from bookyourplace.privacy.services import Actor, record

logger = logging.getLogger(__name__)

# Audit actions (their words in the log: accounts/audit_log.py OTHER_ACTIONS).
LINK_SENT = "own_record.link_sent"
LINK_NOT_SENT = "own_record.link_not_sent"
SIGNED_IN = "own_record.signed_in"


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def ask_for_sign_in_link(*, email: str, actor: Actor, language: str = "") -> None:
    """Queue the sign-in email for the worker, whatever the address: the asker learns nothing.
    ``language``: the one the page was asked in (the email is written in it)."""
    send_sign_in_link.enqueue(email=normalise(email), ip_address=actor.ip_address, language=language)


@task(queue_name="email")
def send_sign_in_link(*, email: str, ip_address: str | None = None, language: str = "") -> None:
    """Run by the worker: email a new sign-in link if the address has any booking."""
    send_link_if_known(email=email, actor=Actor(ip_address=ip_address, label=email), language=language)


def has_bookings(email: str) -> bool:
    return Booking.objects.filter(email=normalise(email), anonymised_at__isnull=True).exists()


def send_link_if_known(*, email: str, actor: Actor, now: datetime | None = None, language: str = "") -> bool:
    """Email a sign-in link to ``email`` if it has bookings; whether one went."""
    email = normalise(email)
    now = now or timezone.now()
    if not has_bookings(email):
        # Recorded without the address: it is nobody we hold anything about.
        record(
            actor=Actor(ip_address=actor.ip_address, label="Attendee"),
            action=LINK_NOT_SENT,
            summary="Asked for a sign-in link for an address with no bookings: nothing sent",
        )
        return False
    token = secrets.token_urlsafe(24)  # 32 characters, 192 bits
    expires_at = now + timedelta(minutes=settings.BYP_SIGN_IN_LINK_MINUTES)
    link = SignInLink.objects.create(
        email=email, token_hash=tokens.hash_token(token), created_at=now, expires_at=expires_at
    )
    url = settings.SITE_URL + reverse("public:own_record_sign_in", kwargs={"token": token})
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Sign in to see all your bookings")
        body = render_to_string(
            "bookings/own_record_email.txt", {"url": url, "minutes": settings.BYP_SIGN_IN_LINK_MINUTES}
        )
        sender = from_address(_("Book Your Place"))
    EmailMessage(subject=subject, body=body, from_email=sender, to=[email]).send()
    record(actor=actor, action=LINK_SENT, summary=f"Sent a sign-in link to {email}", subject=link)
    return True


def usable_link(token: str, *, now: datetime | None = None) -> SignInLink | None:
    """The link this token belongs to if it may still be used (for the page before using it)."""
    if not tokens.looks_like_token(token):
        return None
    now = now or timezone.now()
    return SignInLink.objects.filter(
        token_hash=tokens.hash_token(token), used_at__isnull=True, expires_at__gt=now
    ).first()


def use_sign_in_link(*, token: str, actor: Actor, now: datetime | None = None) -> str | None:
    """Use the link, once: the address it signs in, or None if it is unknown, used or expired.

    One UPDATE ... WHERE used_at IS NULL AND expires_at > now: of two uses at once, the
    database lets exactly one change the row."""
    if not tokens.looks_like_token(token):
        return None
    now = now or timezone.now()
    links = SignInLink.objects.filter(token_hash=tokens.hash_token(token))
    if links.filter(used_at__isnull=True, expires_at__gt=now).update(used_at=now) != 1:
        return None
    link = links.get()
    record(
        actor=Actor(ip_address=actor.ip_address, label=link.email),
        action=SIGNED_IN,
        summary=f"Signed in with an emailed link to see all bookings of {link.email}",
        subject=link,
    )
    return link.email


def bookings_of(email: str) -> QuerySet[Booking]:
    """Every booking and waiting place of this address, every organiser's, soonest first."""
    return (
        Booking.objects.filter(email=normalise(email), anonymised_at__isnull=True)
        .select_related("session__programme__organiser")
        .order_by("session__starts_at", "pk")
    )


def booking_for(email: str, booking_id: int) -> Booking | None:
    """The booking, only if it is this signed-in address's: the one check every action on
    the list goes through (another person's booking is None, answered as not found)."""
    if not email:
        return None
    return bookings_of(email).filter(pk=booking_id).first()


def arrange(bookings: list[Booking], *, now: datetime) -> tuple[list[Booking], list[Booking], list[Booking]]:
    """A person's bookings as their list shows them: offers still open, places to come
    (waiting places too), and the rest (ended, cancelled), most recent first."""
    offers, upcoming, past = [], [], []
    for booking in bookings:
        if booking.is_offered and booking.offer_expires_at and now < booking.offer_expires_at:
            offers.append(booking)
        elif not booking.has_ended and not booking.session.is_cancelled and booking.session.ends_at > now:
            upcoming.append(booking)
        else:
            past.append(booking)
    past.reverse()
    return offers, upcoming, past
