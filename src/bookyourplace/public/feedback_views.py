"""The feedback survey an attendee opens from the email after a session: its questions,
pre-filled when they come back, a thank-you page, and a clear page when they may not answer.

The link's secret is the survey's own (feedback/links.py), not the manage link's.
"""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.feedback import errors as feedback_errors
from bookyourplace.feedback import services
from bookyourplace.feedback.links import find_booking_by_feedback_token
from bookyourplace.feedback.models import Question, Role

_REQUIRED = {
    Role.SATISFACTION: gettext_lazy("Select how satisfied you were with the session"),
}


class SurveyForm(GovukForm):
    """One field per question on the survey: radios for a rating, a text box for words."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            required = question.role == Role.SATISFACTION
            if question.is_rating:
                labels = services.SCALE_LABELS[question.scale]
                self.fields[self.name_for(question)] = forms.TypedChoiceField(
                    label=question.text,
                    choices=[(str(number), label) for number, label in enumerate(labels, start=1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=required,
                    error_messages={
                        "required": _REQUIRED.get(question.role, gettext_lazy("Select an answer")),
                        "invalid_choice": gettext_lazy("Select one of the five answers"),
                    },
                )
            else:
                self.fields[self.name_for(question)] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=services.TEXT_MAX_LENGTH,
                    error_messages={
                        "max_length": gettext_lazy("Your answer must be %(max)s characters or fewer")
                        % {"max": services.TEXT_MAX_LENGTH},
                    },
                )

    @staticmethod
    def name_for(question: Question) -> str:
        return f"q{question.pk}"

    @property
    def items(self):
        """(question, bound field) in the order of the survey, for the template."""
        return [(question, self[self.name_for(question)]) for question in self.questions]

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(self.name_for(question)) for question in self.questions}


def _private(response):
    """The survey link is a secret: out of caches, search engines and other sites' Referer."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _context(booking: Booking, **more) -> dict:
    session = booking.session
    return {
        "booking": booking,
        "session": session,
        "programme": session.programme,
        "organiser": session.programme.organiser,
        **more,
    }


def _unavailable(request, booking: Booking | None, refusal: DomainError | None):
    if booking is None:
        context, status = {"reason": "wrong_link"}, 404
    else:
        reason = {
            feedback_errors.SurveyClosed: "closed",
            feedback_errors.SurveyNotOpen: "not_open",
        }.get(type(refusal), "not_attended")
        context, status = _context(booking, reason=reason), 403 if reason == "not_attended" else 200
    return _private(render(request, "public/feedback_unavailable.html", context, status=status))


def feedback(request, token):
    booking = find_booking_by_feedback_token(token)
    if booking is None:
        return _unavailable(request, None, None)
    if request.method not in ("GET", "HEAD", "POST"):
        response = render(request, "400.html", status=405)
        response["Allow"] = "GET, HEAD, POST"
        return response
    state = services.state_for(booking)
    if not state.may_answer:
        return _unavailable(request, booking, state.refusal)
    questions = services.questions_of(services.survey_for(booking.session.programme))
    given = services.answers_of(booking)
    initial = {SurveyForm.name_for(q): given[q.pk] for q in questions if q.pk in given}
    form = SurveyForm(request.POST if request.method == "POST" else None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(booking=booking, answers=form.answers())
        except feedback_errors.InvalidAnswer as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal.message))
        except DomainError as refusal:  # closed, or the mark withdrawn, while the form was open
            return _unavailable(request, booking, refusal)
        else:
            return redirect("public:feedback_thanks", token=token)
    context = _context(
        booking,
        form=form,
        token=token,
        given=state.given,
        closes_at=state.closes_at,
        max_length=services.TEXT_MAX_LENGTH,
    )
    return _private(render(request, "public/feedback.html", context))


def thanks(request, token):
    booking = find_booking_by_feedback_token(token)
    if booking is None:
        return _unavailable(request, None, None)
    state = services.state_for(booking)
    if not state.given:
        return redirect("public:feedback", token=token)
    context = _context(booking, token=token, may_change=state.may_answer, closes_at=state.closes_at)
    return _private(render(request, "public/feedback_thanks.html", context))
