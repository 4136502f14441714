"""The private manage-your-booking link: rebuilt from the booking's seed when needed, the
booking found from it, and sent again when asked."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from bookyourplace.bookings import emails, tokens
from bookyourplace.bookings.models import Booking


def manage_token(booking: Booking) -> str:
    """The booking's token: the one its stored hash is of, made under SECRET_KEY or, for a
    booking made before the key was rotated, under the older key kept in SECRET_KEY_FALLBACKS.
    So every email carries the link the attendee already has."""
    for token in tokens.tokens_from_seed(booking.manage_token_seed):
        if tokens.token_matches(token, stored_hash=booking.manage_token_hash):
            return token
    # Made under a key no longer listed: the links emailed before still open (they are found
    # by their hash, which needs no key), but cannot be rebuilt for a new email. Keep an old
    # key in SECRET_KEY_FALLBACKS until the bookings made under it are over (docs/deployment.md).
    return tokens.token_from_seed(booking.manage_token_seed)


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + Booking.manage_path(manage_token(booking))


def calendar_url(booking: Booking) -> str:
    return manage_url(booking) + "calendar.ics"


def resend_manage_link(*, booking: Booking, now: datetime | None = None) -> bool:
    """Email the booking's manage link again, unless one went in the last few minutes."""
    now = now or timezone.now()
    quiet_period = timedelta(seconds=settings.BYP_MANAGE_LINK_RESEND_SECONDS)
    if booking.manage_link_sent_at and now - booking.manage_link_sent_at < quiet_period:
        return False
    Booking.objects.filter(pk=booking.pk).update(manage_link_sent_at=now)
    emails.queue_manage_link(booking=booking)
    return True


def find_booking_by_token(token: str) -> Booking | None:
    """The booking a manage link belongs to, or None for a wrong token."""
    if not tokens.looks_like_token(token):
        return None
    token_hash = tokens.hash_token(token)
    booking = (
        Booking.objects.select_related("session__programme__organiser").filter(manage_token_hash=token_hash).first()
    )
    if booking is None or not tokens.token_matches(token, stored_hash=booking.manage_token_hash):
        return None
    return booking


def purpose_token(booking: Booking, *, purpose: str) -> str:
    """The booking's token for one purpose ("check-in", "feedback"): see tokens.purpose_token."""
    return tokens.purpose_token(reference=booking.reference, seed=booking.manage_token_seed, purpose=purpose)


def find_booking_by_purpose_token(token: str, *, purpose: str) -> Booking | None:
    """The booking a token for this purpose belongs to, or None for a wrong or made-up one
    (a manage token or another purpose's token included)."""
    parts = tokens.split_purpose_token(token)
    if parts is None:
        return None
    reference, secret = parts
    booking = Booking.objects.select_related("session__programme__organiser").filter(reference=reference).first()
    if booking is None or not tokens.purpose_secret_matches(secret, seed=booking.manage_token_seed, purpose=purpose):
        return None
    return booking
