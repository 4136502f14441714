"""Helpers for the tests of feedback and of the faces that show it: a session that has
happened, attendance marked, and answers given through the one rule."""

from datetime import datetime

from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method, Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback import services
from bookyourplace.feedback.models import Response, Role
from bookyourplace.privacy.services import SYSTEM


def mark(booking: Booking, outcome: str = Outcome.ATTENDED, *, now: datetime | None = None) -> Attendance:
    """Mark the booking's attendee as the organiser would by hand."""
    return attendance.mark(booking=booking, outcome=outcome, method=Method.BY_HAND, actor=SYSTEM, now=now)


def answer(
    booking: Booking,
    *,
    satisfaction: int | None = 4,
    before: int | None = None,
    after: int | None = None,
    useful: str = "",
    better: str = "",
    now: datetime | None = None,
) -> Response:
    """Give feedback on the programme's usual questions (by their role or wording)."""
    booking = Booking.objects.select_related("session__programme").get(pk=booking.pk)  # as it is now
    questions = services.questions_of(services.survey_for(booking.session.programme))
    by_role = {q.role: q for q in questions if q.role}
    texts = [q for q in questions if not q.is_rating]
    answers = {}
    for role, value in (
        (Role.SATISFACTION, satisfaction),
        (Role.CONFIDENCE_BEFORE, before),
        (Role.CONFIDENCE_AFTER, after),
    ):
        if value is not None and role in by_role:
            answers[by_role[role].pk] = value
    for question, value in zip(texts, (useful, better), strict=False):
        answers[question.pk] = value
    return services.give_feedback(booking=booking, answers=answers, now=now)
