"""The QR code a confirmed attendee shows at the door, and the secret in it.

The check-in secret is not the manage link's: it is an HMAC of the booking's seed under its
own salt, so a photo of someone's QR code lets an organiser check them in and nothing else
(it cannot cancel the booking or read the joining link). It is rebuilt when needed, never
stored. The token carries the booking's reference so the booking is found by an indexed
read; the HMAC part is compared in constant time.
"""

import io
import re
from datetime import datetime

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import links
from bookyourplace.bookings.models import Booking

_PURPOSE = "check-in"


def check_in_token(booking: Booking) -> str:
    return links.purpose_token(booking, purpose=_PURPOSE)


def check_in_url(booking: Booking) -> str:
    """What the QR code says: the back office's check-in page for this booking. A phone's own
    camera app opens it; the back office's scanner reads the token from it."""
    return settings.SITE_URL + reverse("backoffice:check_in", kwargs={"token": check_in_token(booking)})


def find_booking_by_check_in_token(token: str) -> Booking | None:
    """The booking this check-in token belongs to, or None for a wrong or made-up one."""
    return links.find_booking_by_purpose_token(token, purpose=_PURPOSE)


def has_check_in_code(booking: Booking, *, now: datetime | None = None) -> bool:
    """Whether the attendee has a code to show at the door (on the manage page and in the
    confirmation): a confirmed place at an in-person session that has not been cancelled or
    ended. Online sessions have no door."""
    session = booking.session
    return (
        booking.is_confirmed
        and not session.is_online
        and not session.is_cancelled
        and session.ends_at > (now or timezone.now())
    )


def find_booking_by_check_in_code(code: str) -> Booking | None:
    """The booking a scanned code belongs to: the code is the check-in URL (what the QR code
    says) or the bare token. None for anything else, a manage link included."""
    code = (code or "").strip()
    if "/" in code:
        # .../check-in/<token>/ and nothing after it but an optional slash.
        match = re.search(r"/check-in/([^/?#\s]+)/?$", code)
        code = match.group(1) if match else ""
    return find_booking_by_check_in_token(code)


def normalise_reference(text: str) -> str:
    """A booking reference as typed at the door ("byp 7k2 mq", "7K2MQ") in its own form, "BYP-7K2MQ"."""
    letters = re.sub(r"[\s\-]", "", text or "").upper()
    if letters.startswith("BYP"):
        letters = letters[3:]
    return f"BYP-{letters}"


def qr_code(booking: Booking) -> segno.QRCode:
    # Error correction M: still read from a scratched phone screen or a creased print-out.
    return segno.make_qr(check_in_url(booking), error="m")


def qr_code_svg(booking: Booking, *, title: str = "") -> str:
    """An inline SVG for the manage page: dark on white with a quiet zone, about 5 cm across
    on a phone; ``title`` is what a screen reader says it is."""
    svg = qr_code(booking).svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", title=title or None)
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1) if title else svg


def qr_code_png(booking: Booking) -> bytes:
    """A PNG for email (few mail programs show SVG)."""
    out = io.BytesIO()
    qr_code(booking).save(out, kind="png", scale=6, border=4)
    return out.getvalue()
