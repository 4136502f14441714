"""How each email about a booking reads: the outbox row, written out when the worker sends it.

Registered with delivery (notifications/composing.py) when the app starts, so the worker
writes each email from the booking as it is then.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from bookyourplace.bookings import check_in, fair_shares, invites, messaging
from bookyourplace.bookings.availability import waiting_position
from bookyourplace.bookings.emails import ONLY_WHILE_CONFIRMED, TEXT_REMINDER, EmailKind
from bookyourplace.bookings.joining import joining_details_for
from bookyourplace.bookings.links import calendar_url, manage_url
from bookyourplace.bookings.models import Booking
from bookyourplace.core.formatting import date_and_time, session_date, time_range
from bookyourplace.core.site import from_address, site_host
from bookyourplace.notifications.composing import Composer
from bookyourplace.notifications.inline_images import EmailWithInlineImages
from bookyourplace.notifications.invite_email import InviteEmail
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.notify import TextMessage

_SUBJECTS = {
    EmailKind.CONFIRMATION: gettext_lazy("Booking confirmed: %(title)s"),
    EmailKind.CANCELLATION: gettext_lazy("Booking cancelled: %(title)s"),
    EmailKind.CANCELLED_BY_ORGANISER: gettext_lazy("Your booking has been cancelled: %(title)s"),
    EmailKind.SESSION_CHANGED: gettext_lazy("Session changed: %(title)s"),
    EmailKind.SESSION_CANCELLED: gettext_lazy("Session cancelled: %(title)s"),
    EmailKind.MANAGE_LINK: gettext_lazy("Manage your booking: %(title)s"),
    EmailKind.PENDING: gettext_lazy("Booking received, waiting for approval: %(title)s"),
    EmailKind.APPROVED: gettext_lazy("Booking approved: %(title)s"),
    EmailKind.REJECTED: gettext_lazy("Booking not approved: %(title)s"),
    EmailKind.WAITING_LIST_JOINED: gettext_lazy("You are on the waiting list: %(title)s"),
    EmailKind.PLACE_OFFERED: gettext_lazy("A place is free for you: %(title)s"),
    EmailKind.OFFER_EXPIRED: gettext_lazy("Your offered place has gone to the next person: %(title)s"),
    EmailKind.MANAGER_COPY: gettext_lazy("%(name)s has booked: %(title)s"),
    EmailKind.REMINDER: gettext_lazy("Reminder: %(title)s, %(when)s"),
    EmailKind.EMAIL_CONFIRMATION: gettext_lazy("Confirm your email address to keep your place: %(title)s"),
}


# The emails that confirm a place (at booking, from the waiting list, after approval, or
# re-sent) carry the QR code to show at the door.
_WITH_CHECK_IN_CODE = (EmailKind.CONFIRMATION, EmailKind.APPROVED)


def _check_in_code_cid(email: Email, booking: Booking) -> str:
    if email.kind not in _WITH_CHECK_IN_CODE or not check_in.has_check_in_code(booking):
        return ""
    return f"check-in-code.{booking.reference}@{site_host()}"


def _subject(email: Email, booking: Booking, context: dict) -> str:
    return str(_SUBJECTS[email.kind]) % {
        "title": booking.session.title,
        "name": booking.full_name,
        "when": f"{context['date']}, {context['time_range']}",
    }


def load_bookings(ids: list[int]) -> dict[int, Booking]:
    return Booking.objects.select_related("session__programme__organiser").in_bulk(ids)


def compose_booking_email(email: Email, booking: Booking) -> EmailMultiAlternatives | None:
    """The email as it goes now; None if it is no longer wanted."""
    if email.kind in ONLY_WHILE_CONFIRMED:
        # Loaded with the whole batch: look at the booking's status again, just before sending.
        booking.status = Booking.objects.values_list("status", flat=True).get(pk=booking.pk)
        if not booking.is_confirmed:
            # Cancelled after the reminder or message was queued: it would only confuse.
            return None
    return render_email(email, booking)


def organiser_of(booking: Booking) -> int:
    """Whose sending settings (SMTP or GOV.UK Notify) an email about this booking follows."""
    return booking.session.programme.organiser_id


BOOKING_EMAILS = Composer(load=load_bookings, compose=compose_booking_email, organiser_of=organiser_of)


def compose_text_reminder(email: Email, booking: Booking) -> TextMessage | None:
    """The text the day before (GOV.UK Notify sends it); None once the place is not confirmed."""
    booking.status = Booking.objects.values_list("status", flat=True).get(pk=booking.pk)
    if not booking.is_confirmed or not booking.mobile_number:
        return None
    session = booking.session
    tz = session.programme.tz
    with translation.override(language_of(booking)):
        body = str(
            gettext_lazy("Reminder: %(title)s, %(date)s, %(time)s, %(place)s. Your booking reference is %(reference)s.")
        ) % {
            "title": session.title,
            "date": session_date(session.starts_at, tz),
            "time": time_range(session.starts_at, session.ends_at, tz),
            "place": session.location_text,
            "reference": booking.reference,
        }
    return TextMessage(to=email.to, body=body)


TEXT_REMINDERS = Composer(load=load_bookings, compose=compose_text_reminder, organiser_of=organiser_of)
TEXT_REMINDER_KINDS = (TEXT_REMINDER,)


def language_of(booking: Booking) -> str:
    """The language of every email about this booking: the one it was made in, while its
    organisation offers it (an organisation in English only writes in English)."""
    if booking.language in dict(settings.LANGUAGES) and booking.session.programme.organiser.offers_welsh:
        return booking.language
    return settings.LANGUAGE_CODE


def render_email(email: Email, booking: Booking) -> EmailMultiAlternatives:
    with translation.override(language_of(booking)):
        return _render_email(email, booking)


def _render_email(email: Email, booking: Booking) -> EmailMultiAlternatives:
    session = booking.session
    programme = session.programme
    organiser = programme.organiser
    link = manage_url(booking)
    context = {
        "email": email,
        "booking": booking,
        "session": session,
        "programme": programme,
        "organiser": organiser,
        "manage_url": link,
        "calendar_url": calendar_url(booking),
        "programme_url": settings.SITE_URL + programme.get_absolute_url(),
        "date": session_date(session.starts_at, programme.tz),
        "time_range": time_range(session.starts_at, session.ends_at, programme.tz),
        # The email's flag says whether this kind of email carries the joining details; the
        # booking's rule (bookings/joining.py), read now, at sending, says whether they may.
        "joining": joining_details_for(booking) if email.include_joining_details else None,
        "waiting_position": waiting_position(booking) if booking.is_waiting else None,
        # On the waiting list although places were free: their organisation had its share.
        "fair_share_reason": fair_shares.reason(booking),
        "offer_deadline": date_and_time(booking.offer_expires_at, programme.tz) if booking.offer_expires_at else "",
        "hold_deadline": date_and_time(booking.hold_expires_at, programme.tz) if booking.hold_expires_at else "",
        "check_in_code_cid": _check_in_code_cid(email, booking),
    }
    if email.kind == EmailKind.MESSAGE:
        # The organiser's own words, placeholders filled in for this booking; no invite.
        subject, context["message_text"] = messaging.render_for(email.message, booking)
    else:
        subject = _subject(email, booking, context)
    text = render_to_string(f"bookings/email/{email.kind}.txt", context)
    html = render_to_string(f"bookings/email/{email.kind}.html", context)
    message_kwargs = _message_fields(email, organiser, subject=subject, text=text)
    if email.invite_method:
        invite = invites.build_invite(
            booking=booking,
            method=email.invite_method,
            sequence=email.invite_sequence or 0,
            manage_url=link,
        )
        message = InviteEmail(**message_kwargs, invite=invite, invite_method=email.invite_method)
        message.attach_alternative(html, "text/html")
        message.attach("invite.ics", invite, "application/ics")
        if email.invite_method == invites.REQUEST:
            # GOV.UK Notify cannot attach an .ics file: it sends this link to the calendar file
            # instead (a withdrawn event is only told in words).
            message.calendar_url = context["calendar_url"]
    else:
        message = EmailWithInlineImages(**message_kwargs)
        message.attach_alternative(html, "text/html")
    if context["check_in_code_cid"]:
        message.attach_inline_image(
            check_in.qr_code_png(booking), cid=context["check_in_code_cid"], filename="check-in-code.png"
        )
    return message


def _message_fields(email: Email, organiser, *, subject: str, text: str) -> dict:
    """From the organiser (its sender name; replies go to its reply-to address), to the one
    address, with the outbox row's own Message-ID so a retried send is recognisably the same
    message."""
    return {
        "subject": subject,
        "body": text,
        "from_email": from_address(organiser.sender_name),
        "to": [email.to],
        "reply_to": [organiser.reply_to_address],
        "headers": {"Message-ID": f"<{email.message_id_local_part}@{site_host()}>"},
    }


def session_email(email: Email, booking: Booking, *, subject, template: str, **extra) -> EmailMultiAlternatives:
    """An email about a booking's session from another app (a no-show note, a feedback
    request): ``template``.txt and .html rendered with the session's details and ``extra``,
    sent as the booking emails are, in the booking's language."""
    with translation.override(language_of(booking)):
        return _session_email(email, booking, subject=subject, template=template, **extra)


def _session_email(email: Email, booking: Booking, *, subject, template: str, **extra) -> EmailMultiAlternatives:
    session = booking.session
    programme = session.programme
    organiser = programme.organiser
    context = {
        "email": email,
        "booking": booking,
        "session": session,
        "programme": programme,
        "organiser": organiser,
        "programme_url": settings.SITE_URL + programme.get_absolute_url(),
        "date": session_date(session.starts_at, programme.tz),
        "time_range": time_range(session.starts_at, session.ends_at, programme.tz),
        **extra,
    }
    subject = str(subject) % {"title": session.title}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(**_message_fields(email, organiser, subject=subject, text=text))
    message.attach_alternative(html, "text/html")
    return message
