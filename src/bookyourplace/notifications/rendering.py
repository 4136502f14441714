"""Turn an outbox row into the message an attendee receives."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _lazy

from bookyourplace.bookings.availability import waiting_position
from bookyourplace.bookings.joining import joining_details_for
from bookyourplace.bookings.links import calendar_url, manage_url
from bookyourplace.core.formatting import date_and_time, session_date, time_range
from bookyourplace.notifications import invites, messaging
from bookyourplace.notifications.models import Email


class InviteEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries its iTIP method.

    Outlook only treats a message as a meeting request (or a cancellation) when the MIME
    type says ``method=REQUEST`` (or ``CANCEL``) and matches the METHOD in the file.
    Django's alternatives take no MIME parameters, so the part is added here.
    """

    def __init__(self, *args, invite: bytes, invite_method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invite = invite
        self.invite_method = invite_method

    def _add_bodies(self, msg):
        msg = super()._add_bodies(msg)
        msg.add_alternative(
            self.invite.decode(), subtype="calendar", charset="utf-8", params={"method": self.invite_method}
        )
        return msg


_SUBJECTS = {
    Email.Kind.CONFIRMATION: _lazy("Booking confirmed: %(title)s"),
    Email.Kind.CANCELLATION: _lazy("Booking cancelled: %(title)s"),
    Email.Kind.CANCELLED_BY_ORGANISER: _lazy("Your booking has been cancelled: %(title)s"),
    Email.Kind.SESSION_CHANGED: _lazy("Session changed: %(title)s"),
    Email.Kind.SESSION_CANCELLED: _lazy("Session cancelled: %(title)s"),
    Email.Kind.MANAGE_LINK: _lazy("Manage your booking: %(title)s"),
    Email.Kind.PENDING: _lazy("Booking received, waiting for approval: %(title)s"),
    Email.Kind.APPROVED: _lazy("Booking approved: %(title)s"),
    Email.Kind.REJECTED: _lazy("Booking not approved: %(title)s"),
    Email.Kind.WAITING_LIST_JOINED: _lazy("You are on the waiting list: %(title)s"),
    Email.Kind.PLACE_OFFERED: _lazy("A place is free for you: %(title)s"),
    Email.Kind.OFFER_EXPIRED: _lazy("Your offered place has gone to the next person: %(title)s"),
    Email.Kind.MANAGER_COPY: _lazy("%(name)s has booked: %(title)s"),
    Email.Kind.REMINDER: _lazy("Reminder: %(title)s, %(when)s"),
    Email.Kind.EMAIL_CONFIRMATION: _lazy("Confirm your email address to keep your place: %(title)s"),
}


def _subject(email: Email, context: dict) -> str:
    booking = email.booking
    return str(_SUBJECTS[email.kind]) % {
        "title": booking.session.title,
        "name": booking.full_name,
        "when": f"{context['date']}, {context['time_range']}",
    }


def render_email(email: Email) -> EmailMultiAlternatives:
    booking = email.booking
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
        "offer_deadline": date_and_time(booking.offer_expires_at, programme.tz) if booking.offer_expires_at else "",
        "hold_deadline": date_and_time(booking.hold_expires_at, programme.tz) if booking.hold_expires_at else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        if email.kind == Email.Kind.MESSAGE:
            # The organiser's own words, placeholders filled in for this booking; no invite.
            subject, context["message_text"] = messaging.render_for(email.message, booking)
        else:
            subject = _subject(email, context)
        text = render_to_string(f"notifications/email/{email.kind}.txt", context)
        html = render_to_string(f"notifications/email/{email.kind}.html", context)
    from_email = f"{organiser.name} <{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}>"
    message_kwargs = {
        "subject": subject,
        "body": text,
        "from_email": from_email,
        "to": [email.to],
        "reply_to": [organiser.contact_email],
        "headers": {"Message-ID": f"<{email.message_id_local_part}@{invites.invite_uid(booking).split('@')[-1]}>"},
    }
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
    else:
        message = EmailMultiAlternatives(**message_kwargs)
        message.attach_alternative(html, "text/html")
    return message
