"""How the feedback email reads, written when the worker sends it (registered in
FeedbackConfig.ready for emails of kind ``feedback_request`` about a booking).

Written from the booking as it is at sending: no email once the booking was cancelled, the
attendance mark withdrawn, the feedback already given or the survey closed.
"""

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from bookyourplace.attendance.models import Attendance, Outcome
from bookyourplace.bookings.email_content import language_of, session_email
from bookyourplace.bookings.links import manage_url
from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.core.formatting import date_and_time
from bookyourplace.feedback import services
from bookyourplace.feedback.links import feedback_url
from bookyourplace.notifications.composing import Composer
from bookyourplace.notifications.models import Email


def load_bookings(ids: list[int]) -> dict[int, Booking]:
    return Booking.objects.select_related("session__programme__organiser").in_bulk(ids)


def compose_feedback_request(email: Email, booking: Booking) -> EmailMultiAlternatives | None:
    # Loaded with the whole batch: read the booking's status again, just before sending.
    booking.status = Booking.objects.values_list("status", flat=True).get(pk=booking.pk)
    try:
        services.check_may_answer(booking, now=timezone.now())
    except DomainError:
        return None
    if services.has_given_feedback(booking):
        return None
    return render_email(email, booking)


FEEDBACK_EMAILS = Composer(load=load_bookings, compose=compose_feedback_request)


def render_email(email: Email, booking: Booking) -> EmailMultiAlternatives:
    # The closing date written in the booking's language too.
    with translation.override(language_of(booking)):
        return _render_email(email, booking)


def _render_email(email: Email, booking: Booking) -> EmailMultiAlternatives:
    session = booking.session
    return session_email(
        email,
        booking,
        subject=gettext_lazy("Your feedback, please: %(title)s"),
        template="feedback/email/feedback_request",
        feedback_url=feedback_url(booking),
        closes=date_and_time(services.closes_at(session), session.programme.tz),
        # Where the certificate of attendance is: the booking page, for those who attended
        # in full (certificates/services.py decides there; this only says where to look).
        manage_url=manage_url(booking),
        certificate_offered=session.programme.certificates_enabled and _attended_in_full(booking),
    )


def _attended_in_full(booking: Booking) -> bool:
    return Attendance.objects.filter(booking=booking, outcome=Outcome.ATTENDED).exists()
