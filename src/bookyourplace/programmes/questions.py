"""The organiser's own questions on the booking form: add, change, order and remove them, for
a programme or for one session that asks its own; and which questions a session asks.

A programme has one list; a session asks that list unless it asks its own
(``Session.asks_own_questions``), which starts as a copy of the programme's. A question
people have answered is taken off the form, not deleted (``removed_at``): the answers given
keep it, and keep the wording and type they answered (bookings.Answer copies them). Each
change is written with its audit entry in one transaction and raises the programme's page
version, since the booking form is a cached page.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.errors import InvalidQuestion, ProgrammeError
from bookyourplace.programmes.models import Programme, Question, Session
from bookyourplace.programmes.page_version import programme_changed

UP, DOWN = "up", "down"
Kind = Question.Kind
CHOICE_KINDS = (Kind.ONE_CHOICE, Kind.SEVERAL_CHOICES)
LABEL_MAX_LENGTH = Question._meta.get_field("label").max_length
HINT_MAX_LENGTH = Question._meta.get_field("hint").max_length
CHOICE_MAX_LENGTH = 200
MOST_CHOICES = 30


@dataclass(frozen=True)
class QuestionDetails:
    """What an organiser writes for a question. ``choices`` only for one or several choices."""

    kind: str
    label: str
    hint: str = ""
    required: bool = True
    choices: tuple[str, ...] = field(default_factory=tuple)


# --- Which questions ----------------------------------------------------------------------------


def questions_for(session: Session) -> list[Question]:
    """The questions the session's booking form asks, in order: its own when it asks its own,
    else its programme's; never a removed one."""
    return list(_list(programme_id=session.programme_id, session_id=session.pk if session.asks_own_questions else None))


def list_of(*, programme: Programme, session: Session | None = None) -> list[Question]:
    """The list an organiser edits: the programme's, or the session's own (even while the
    session uses the programme's)."""
    return list(_list(programme_id=programme.pk, session_id=session.pk if session is not None else None))


def questions_of_programme(programme: Programme) -> list[Question]:
    """Every question the programme's sessions ask now: the programme's, then each session's
    own (for sessions that ask their own), in the sessions' order."""
    asked = Question.objects.filter(programme=programme, removed_at__isnull=True).filter(
        Q(session__isnull=True) | Q(session__asks_own_questions=True)
    )
    return list(asked.order_by(F("session__starts_at").asc(nulls_first=True), "session_id", "position", "pk"))


def _list(*, programme_id: int, session_id: int | None):
    # session_id=None is the programme's own list ("IS NULL").
    return Question.objects.filter(programme_id=programme_id, session_id=session_id, removed_at__isnull=True).order_by(
        "position", "pk"
    )


# --- Checks -------------------------------------------------------------------------------------


def check_question(details: QuestionDetails) -> QuestionDetails:
    """The details tidied (spaces, blank choice lines), or InvalidQuestion naming every problem
    in words an organiser understands."""
    problems: dict[str, list[str]] = {}
    label = " ".join(details.label.split())
    hint = " ".join(details.hint.split())
    if not label:
        problems["label"] = [_("Enter the question")]
    elif len(label) > LABEL_MAX_LENGTH:
        problems["label"] = [_("The question must be %(max)d characters or fewer") % {"max": LABEL_MAX_LENGTH}]
    if len(hint) > HINT_MAX_LENGTH:
        problems["hint"] = [_("The hint must be %(max)d characters or fewer") % {"max": HINT_MAX_LENGTH}]
    if details.kind not in Kind.values:
        problems["kind"] = [_("Select the type of answer")]
    choices: tuple[str, ...] = ()
    if details.kind in CHOICE_KINDS:
        choices = tuple(" ".join(choice.split()) for choice in details.choices if choice.strip())
        if problem := _choices_problem(choices):
            problems["choices"] = [problem]
    if problems:
        raise InvalidQuestion(problems)
    return QuestionDetails(kind=details.kind, label=label, hint=hint, required=details.required, choices=choices)


def _choices_problem(choices: tuple[str, ...]) -> str | None:
    if len(choices) < 2:
        return _("Enter at least two choices, one on each line")
    if len(choices) > MOST_CHOICES:
        return _("Enter no more than %(most)d choices") % {"most": MOST_CHOICES}
    too_long = next((choice for choice in choices if len(choice) > CHOICE_MAX_LENGTH), None)
    if too_long is not None:
        return _("Each choice must be %(max)d characters or fewer") % {"max": CHOICE_MAX_LENGTH}
    seen: set[str] = set()
    for choice in choices:
        if choice.casefold() in seen:
            return _("Each choice must be different: “%(choice)s” is there twice") % {"choice": choice}
        seen.add(choice.casefold())
    return None


# --- Changes ------------------------------------------------------------------------------------


def add_question(
    *, programme: Programme, details: QuestionDetails, actor: Actor, session: Session | None = None
) -> Question:
    """Add a question at the end of the programme's list, or of the session's own."""
    details = check_question(details)
    with transaction.atomic():
        if session is not None:
            session = _locked_session(session, programme=programme)
            if not session.asks_own_questions:
                raise ProgrammeError(_("This session asks the programme's questions: choose to ask its own first."))
        else:
            Programme.objects.select_for_update().filter(pk=programme.pk).first()
        last = Question.objects.filter(programme=programme, session=session).aggregate(Max("position"))
        question = Question.objects.create(
            programme=programme,
            session=session,
            position=(last["position__max"] or 0) + 1,
            kind=details.kind,
            label=details.label,
            hint=details.hint,
            required=details.required,
            choices=list(details.choices),
        )
        _changed(question, actor=actor, summary=f"added '{question.label}'")
    return question


def change_question(*, question: Question, details: QuestionDetails, actor: Actor) -> Question:
    """Reword a question, or change its type, hint, choices or whether it must be answered.
    Answers already given keep what they answered (bookings.Answer)."""
    details = check_question(details)
    if question.removed_at is not None:
        raise ProgrammeError(_("This question has been removed, so it cannot be changed."))
    before = question.label
    question.kind, question.label, question.hint = details.kind, details.label, details.hint
    question.required, question.choices = details.required, list(details.choices)
    with transaction.atomic():
        question.save(update_fields=["kind", "label", "hint", "required", "choices"])
        wording = f"changed '{before}'" + (f" to '{question.label}'" if question.label != before else "")
        _changed(question, actor=actor, summary=wording)
    return question


def move_question(*, question: Question, direction: str, actor: Actor) -> None:
    """Move a question one place up or down its list (nothing happens at either end)."""
    if direction not in (UP, DOWN):
        raise ProgrammeError(_("Choose up or down."))
    with transaction.atomic():
        questions = list(_list(programme_id=question.programme_id, session_id=question.session_id).select_for_update())
        index = next((i for i, each in enumerate(questions) if each.pk == question.pk), None)
        if index is None:
            return
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(questions):
            return
        questions[index], questions[other] = questions[other], questions[index]
        for position, each in enumerate(questions, start=1):
            each.position = position
        Question.objects.bulk_update(questions, ["position"])
        _changed(question, actor=actor, summary=f"moved '{question.label}' {direction}")


def remove_question(*, question: Question, actor: Actor, now=None) -> None:
    """Take a question off the booking form: deleted if nobody has answered it, otherwise
    hidden, with its answers kept."""
    with transaction.atomic():
        _take_off([question], now=now or timezone.now())
        _changed(question, actor=actor, summary=f"removed '{question.label}'")


def _take_off(questions: Iterable[Question], *, now) -> None:
    for question in questions:
        # "answers" is bookings.Answer's relation to the question: asked by name, not imported.
        if question.answers.exists():
            question.removed_at = now
            question.save(update_fields=["removed_at"])
        else:
            question.delete()


def ask_own_questions(*, session: Session, own: bool, actor: Actor) -> Session:
    """Let the session ask its own questions, starting from a copy of the programme's (``own``),
    or the programme's again: its own are then removed, the answers given to them kept."""
    with transaction.atomic():
        session = _locked_session(session, programme=session.programme)
        if own == session.asks_own_questions:
            return session
        if own:
            if not list_of(programme=session.programme, session=session):
                _copy(list_of(programme=session.programme), programme_id=session.programme_id, session=session)
            summary = "now asks its own questions, starting from the programme's"
        else:
            _take_off(list_of(programme=session.programme, session=session), now=timezone.now())
            summary = "now asks the programme's questions"
        session.asks_own_questions = own
        session.save(update_fields=["asks_own_questions"])
        _audit_session(session, actor=actor, summary=summary)
        programme_changed(session.programme_id)
    return session


def copy_questions(*, programme: Programme, to: Programme, sessions: Mapping[int, Session]) -> None:
    """Copy a programme's questions, and its sessions' own (``sessions``: each old session's
    id to its copy), when the programme is copied to new dates. No audit entry: the copy has one."""
    _copy(list_of(programme=programme), programme_id=to.pk, session=None)
    for old_id, copy in sessions.items():
        if copy.asks_own_questions:
            _copy(_list(programme_id=programme.pk, session_id=old_id), programme_id=to.pk, session=copy)


def _copy(questions: Iterable[Question], *, programme_id: int, session: Session | None) -> None:
    Question.objects.bulk_create(
        [
            Question(
                programme_id=programme_id,
                session=session,
                position=position,
                kind=q.kind,
                label=q.label,
                hint=q.hint,
                required=q.required,
                choices=list(q.choices),
            )
            for position, q in enumerate(questions, start=1)
        ]
    )


def _locked_session(session: Session, *, programme: Programme) -> Session:
    """The session's row locked (the order every booking takes its locks in: the session, then
    the programme's page version), with its programme."""
    locked = Session.objects.select_for_update().filter(pk=session.pk, programme=programme).first()
    if locked is None:
        raise ProgrammeError(_("That session is not part of this programme."))
    locked.programme = programme
    return locked


def _changed(question: Question, *, actor: Actor, summary: str) -> None:
    """The audit entry for a change to a question's list, and the booking form shown afresh."""
    if question.session_id is None:
        programme = question.programme
        record(
            actor=actor,
            action=AuditEvent.Action.CHANGED_PROGRAMME,
            summary=f"Booking questions of '{programme.title}': {summary}",
            subject=programme,
            programme_id=programme.pk,
        )
    else:
        _audit_session(question.session, actor=actor, summary=summary)
    programme_changed(question.programme_id)


def _audit_session(session: Session, *, actor: Actor, summary: str) -> None:
    record(
        actor=actor,
        action=AuditEvent.Action.CHANGED_SESSION,
        summary=f"Booking questions of the session '{session.title}': {summary}",
        subject=session,
        programme_id=session.programme_id,
    )
