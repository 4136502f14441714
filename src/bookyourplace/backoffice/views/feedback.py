"""Feedback in the back office: the results of a session and of a programme, their CSV, and
the programme's survey questions."""

from django import forms
from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import programme_for, session_for, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm, whole_number_field
from bookyourplace.feedback import questions as survey_questions
from bookyourplace.feedback import results
from bookyourplace.feedback.models import MAX_OPEN_DAYS, Kind, Role, Scale
from bookyourplace.feedback.services import questions_of, survey_for
from bookyourplace.privacy.services import actor_for, record
from bookyourplace.reports.exports import csv_stream


@staff_required
def session_feedback(request, session_id):
    session = session_for(request, session_id)
    programme = session.programme
    context = {
        "session": session,
        "programme": programme,
        "results": results.session_results(session),
        "can_edit": permissions.can_edit(request.user, programme=programme),
    }
    return render(request, "backoffice/feedback_session.html", context)


@staff_required
def programme_feedback(request, programme_id):
    programme = programme_for(request, programme_id)
    context = {
        "programme": programme,
        "results": results.programme_results(programme),
        "can_edit": permissions.can_edit(request.user, programme=programme),
    }
    return render(request, "backoffice/feedback_programme.html", context)


@staff_required
@never_cache
def session_feedback_csv(request, session_id):
    session = session_for(request, session_id)
    return _csv(request, programme=session.programme, session=session)


@staff_required
@never_cache
def programme_feedback_csv(request, programme_id):
    return _csv(request, programme=programme_for(request, programme_id))


def _csv(request, *, programme, session=None):
    # Names only for those who may export personal data; anyone else gets the answers alone.
    with_names = permissions.can_export_personal_data(request.user, programme=programme)
    what = f"'{session.title}' ({programme.title})" if session is not None else f"'{programme.title}'"
    record(
        actor=actor_for(request),
        action="feedback.exported",
        summary=f"Exported the feedback of {what} as CSV, {'with' if with_names else 'without'} names",
        subject=session if session is not None else programme,
        programme_id=programme.pk,
    )
    parts = [programme.slug]
    if session is not None:
        parts += [session.starts_at.astimezone(programme.tz).date().isoformat(), slugify(session.title)[:50]]
    filename = "-".join([*parts, "feedback"]) + ".csv"
    rows = results.export_rows(programme=programme, session=session, with_names=with_names)
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- The survey's questions -------------------------------------------------------------------

ANSWER_KINDS = [
    (Scale.SATISFACTION.value, gettext_lazy("A rating: very dissatisfied to very satisfied")),
    (Scale.CONFIDENCE.value, gettext_lazy("A rating: not at all confident to very confident")),
    (Scale.AGREEMENT.value, gettext_lazy("A rating: strongly disagree to strongly agree")),
    (Kind.TEXT.value, gettext_lazy("Free text")),
]


class QuestionTextForm(GovukForm):
    text = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=survey_questions.QUESTION_MAX_LENGTH,
        widget=forms.TextInput(attrs={"spellcheck": "true"}),
        error_messages={
            "required": gettext_lazy("Enter the question"),
            "max_length": gettext_lazy("The question must be 300 characters or fewer"),
        },
    )


class AddQuestionForm(QuestionTextForm):
    answer = forms.ChoiceField(
        label=gettext_lazy("How do people answer?"),
        choices=ANSWER_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select how people answer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)


class OpenDaysForm(GovukForm):
    open_days = whole_number_field(
        gettext_lazy("Days the survey stays open after each session"),
        min_value=1,
        max_value=MAX_OPEN_DAYS,
        required=gettext_lazy("Enter the number of days"),
        invalid=gettext_lazy("Enter a whole number of days, like 14"),
        too_small=gettext_lazy("Keep the survey open for at least 1 day"),
        too_big=gettext_lazy("Keep the survey open for at most 90 days"),
    )


def _rows(questions) -> list[dict]:
    """Each question with what can be done to it: the confidence pair moves and goes as one
    (its buttons are on its first question), the satisfaction question stays."""
    blocks: list[list] = []
    for question in questions:
        if question.is_confidence_pair and blocks and blocks[-1][0].is_confidence_pair:
            blocks[-1].append(question)
        else:
            blocks.append([question])
    rows = []
    for index, block in enumerate(blocks):
        for position, question in enumerate(block):
            leads = position == 0
            rows.append(
                {
                    "question": question,
                    "pair": question.is_confidence_pair,
                    "up": leads and index > 0,
                    "down": leads and index < len(blocks) - 1,
                    "remove": leads and question.role != Role.SATISFACTION,
                }
            )
    return rows


@staff_required
def feedback_questions(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    survey = survey_for(programme)
    questions = questions_of(survey)
    by_id = {q.pk: q for q in questions}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    changing = by_id.get(_int(request.GET.get("change") or request.POST.get("question")))
    text_form = QuestionTextForm(
        request.POST if action == "reword" else None, initial={"text": changing.text} if changing else None
    )
    add_form = AddQuestionForm(request.POST if action == "add" else None)
    days_form = OpenDaysForm(request.POST if action == "open_days" else None, initial={"open_days": survey.open_days})
    actor = actor_for(request)
    if request.method == "POST":
        try:
            if action == "reword" and changing is not None and text_form.is_valid():
                survey_questions.reword(question=changing, text=text_form.cleaned_data["text"], actor=actor)
                messages.success(request, _("Question saved."))
                return redirect("backoffice:feedback_questions", programme_id=programme.pk)
            if action == "add" and add_form.is_valid():
                answer = add_form.cleaned_data["answer"]
                survey_questions.add_question(
                    survey=survey,
                    kind=Kind.TEXT if answer == Kind.TEXT else Kind.RATING,
                    scale="" if answer == Kind.TEXT else answer,
                    text=add_form.cleaned_data["text"],
                    actor=actor,
                )
                messages.success(request, _("Question added at the end of the survey."))
                return redirect("backoffice:feedback_questions", programme_id=programme.pk)
            if action == "open_days" and days_form.is_valid():
                survey_questions.set_open_days(
                    survey=survey, open_days=days_form.cleaned_data["open_days"], actor=actor
                )
                messages.success(request, _("Saved how long the survey stays open."))
                return redirect("backoffice:feedback_questions", programme_id=programme.pk)
            if action in ("up", "down", "remove"):
                question = get_object_or_404(
                    survey.questions.filter(removed_at__isnull=True), pk=_int(request.POST.get("question"))
                )
                if action == "remove":
                    survey_questions.remove_question(question=question, actor=actor)
                    messages.success(request, _("Question removed. Answers already given are kept in the results."))
                else:
                    survey_questions.move_question(question=question, direction=action, actor=actor)
                return redirect("backoffice:feedback_questions", programme_id=programme.pk)
        except DomainError as refusal:
            form = {"reword": text_form, "add": add_form, "open_days": days_form}.get(action)
            if form is None:
                errors.flash(request, refusal)
                return redirect("backoffice:feedback_questions", programme_id=programme.pk)
            errors.add_to_form(form, refusal, field_for={"kind": "answer", "scale": "answer"})
    failed = next((f for f in (text_form, add_form, days_form) if f.is_bound and f.errors), None)
    context = {
        "programme": programme,
        "survey": survey,
        "rows": _rows(questions),
        "changing": changing,
        "text_form": text_form,
        "add_form": add_form,
        "days_form": days_form,
        "form": failed,  # the error summary's, and the page title's "Error:"
    }
    return render(request, "backoffice/feedback_questions.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
