"""The organiser's own booking questions: a programme's list, a session's choice between the
programme's and its own, and adding, changing, moving and removing a question. The rules are
in programmes/questions.py; only those who may change the programme get here."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import programme_for, session_for, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import questions as booking_questions
from bookyourplace.programmes.models import Question

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class QuestionForm(GovukForm):
    label = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=booking_questions.LABEL_MAX_LENGTH,
        help_text=gettext_lazy(
            "What people see on the booking form, for example ‘Your dietary requirements’ or "
            "‘Which area do you work in?’. Error messages are written from it."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "true"}),
        error_messages={
            "required": gettext_lazy("Enter the question"),
            "max_length": gettext_lazy("The question must be 250 characters or fewer"),
        },
    )
    hint = forms.CharField(
        label=gettext_lazy("Hint"),
        required=False,
        max_length=booking_questions.HINT_MAX_LENGTH,
        help_text=gettext_lazy("Help with answering, shown under the question."),
        widget=forms.TextInput(attrs={"spellcheck": "true"}),
        error_messages={"max_length": gettext_lazy("The hint must be 500 characters or fewer")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type of answer"),
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select the type of answer"),
            "invalid_choice": gettext_lazy("Select the type of answer"),
        },
    )
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        help_text=gettext_lazy("Only for one or several choices from a list: write each choice on its own line."),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "true"}),
    )
    required = forms.ChoiceField(
        label=gettext_lazy("Must people answer it?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select yes if people must answer the question"),
            "invalid_choice": gettext_lazy("Select yes if people must answer the question"),
        },
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "label": question.label,
            "hint": question.hint,
            "kind": question.kind,
            "choices": "\n".join(question.choices),
            "required": "yes" if question.required else "no",
        }

    def clean(self):
        data = super().clean()
        # The rule's own checks (two different choices...) shown with the form's, all at once.
        try:
            booking_questions.check_question(self._details(data))
        except DomainError as refusal:
            errors.add_to_form(self, refusal)
        return data

    def details(self) -> booking_questions.QuestionDetails:
        return self._details(self.cleaned_data)

    @staticmethod
    def _details(data: dict) -> booking_questions.QuestionDetails:
        return booking_questions.QuestionDetails(
            kind=data.get("kind", ""),
            label=data.get("label", ""),
            hint=data.get("hint", ""),
            required=data.get("required") == "yes",
            choices=tuple(data.get("choices", "").splitlines()),
        )


OWN, PROGRAMMES = "own", "programme"


class SessionQuestionsForm(GovukForm):
    asks = forms.ChoiceField(
        label=gettext_lazy("Which questions does this session ask?"),
        choices=[
            (PROGRAMMES, gettext_lazy("Use the programme’s questions")),
            (OWN, gettext_lazy("Ask this session’s own questions")),
        ],
        help_text=gettext_lazy(
            "Its own questions start as a copy of the programme’s. Going back to the programme’s removes this "
            "session’s own questions; answers already given are kept."
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select which questions this session asks"),
            "invalid_choice": gettext_lazy("Select which questions this session asks"),
        },
    )


def _rows(questions: list[Question]) -> list[dict]:
    return [
        {"question": question, "number": n, "up": n > 1, "down": n < len(questions)}
        for n, question in enumerate(questions, start=1)
    ]


@staff_required
def programme_questions(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    questions = booking_questions.list_of(programme=programme)
    context = {"programme": programme, "session": None, "rows": _rows(questions), "editing": True}
    return render(request, "backoffice/questions.html", context)


@staff_required
def session_questions(request, session_id):
    session = session_for(request, session_id, edit=True)
    programme = session.programme
    form = SessionQuestionsForm(
        request.POST if request.method == "POST" else None,
        initial={"asks": OWN if session.asks_own_questions else PROGRAMMES},
    )
    if request.method == "POST" and form.is_valid():
        own = form.cleaned_data["asks"] == OWN
        try:
            booking_questions.ask_own_questions(session=session, own=own, actor=actor_for(request))
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("This session now asks its own questions.")
                if own
                else _("This session now asks the programme’s questions."),
            )
            return redirect("backoffice:session_questions", session_id=session.pk)
    listed = (
        booking_questions.list_of(programme=programme, session=session)
        if session.asks_own_questions
        else booking_questions.list_of(programme=programme)
    )
    context = {
        "programme": programme,
        "session": session,
        "form": form,
        "rows": _rows(listed),
        "editing": session.asks_own_questions,
    }
    return render(request, "backoffice/questions.html", context)


def _question_for(request, question_id: int) -> Question:
    """A question still asked, of a programme this person may change (404, 403 otherwise)."""
    question = get_object_or_404(Question.objects.select_related("session"), pk=question_id, removed_at__isnull=True)
    question.programme = programme_for(request, question.programme_id, edit=True)
    return question


def _back_to_list(*, programme_id: int, session_id: int | None):
    """The list the question is on: the session's own, or the programme's."""
    if session_id is not None:
        return redirect("backoffice:session_questions", session_id=session_id)
    return redirect("backoffice:programme_questions", programme_id=programme_id)


def _question_page(request, *, form, programme, session, question=None):
    return render(
        request,
        "backoffice/question_form.html",
        {"form": form, "programme": programme, "session": session, "question": question},
    )


def _add(request, *, programme, session):
    form = QuestionForm(request.POST or None, initial={"required": "yes"})
    if request.method == "POST" and form.is_valid():
        try:
            booking_questions.add_question(
                programme=programme, session=session, details=form.details(), actor=actor_for(request)
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Question added at the end of the booking form."))
            return _back_to_list(programme_id=programme.pk, session_id=session.pk if session is not None else None)
    return _question_page(request, form=form, programme=programme, session=session)


@staff_required
def programme_question_add(request, programme_id):
    return _add(request, programme=programme_for(request, programme_id, edit=True), session=None)


@staff_required
def session_question_add(request, session_id):
    session = session_for(request, session_id, edit=True)
    if not session.asks_own_questions:
        messages.info(request, _("Choose to ask this session’s own questions first."))
        return redirect("backoffice:session_questions", session_id=session.pk)
    return _add(request, programme=session.programme, session=session)


@staff_required
def question_edit(request, question_id):
    question = _question_for(request, question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            booking_questions.change_question(question=question, details=form.details(), actor=actor_for(request))
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, _("Question saved. Answers already given are kept as they were."))
            return _back_to_list(programme_id=question.programme_id, session_id=question.session_id)
    return _question_page(request, form=form, programme=question.programme, session=question.session, question=question)


@staff_required
def question_remove(request, question_id):
    question = _question_for(request, question_id)
    if request.method == "POST":
        booking_questions.remove_question(question=question, actor=actor_for(request))
        messages.success(request, _("Question removed. Answers already given are kept with the bookings."))
        return _back_to_list(programme_id=question.programme_id, session_id=question.session_id)
    return render(
        request,
        "backoffice/question_remove.html",
        {"question": question, "programme": question.programme, "session": question.session},
    )


@staff_required
@require_POST
def question_move(request, question_id):
    question = _question_for(request, question_id)
    try:
        booking_questions.move_question(
            question=question, direction=request.POST.get("direction", ""), actor=actor_for(request)
        )
    except DomainError as refusal:
        errors.flash(request, refusal)
    return _back_to_list(programme_id=question.programme_id, session_id=question.session_id)
