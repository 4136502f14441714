"""Changing a programme's survey: reword, add, remove and reorder questions, and how long it
stays open.

Answers stay with the question they answered (by its id), whatever it is called later; each
answer also keeps the wording it was given to. A question people have answered is taken off
the survey, not deleted, so its answers stay in the results and the CSV. The satisfaction
question stays (it is the results' headline), and the confidence questions before and after
the session stay a pair: next to each other, moved and removed together.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.core.errors import DomainError
from bookyourplace.feedback.errors import InvalidQuestion
from bookyourplace.feedback.models import MAX_OPEN_DAYS, Kind, Question, Role, Scale, Survey
from bookyourplace.feedback.services import questions_of
from bookyourplace.privacy.services import Actor, record

QUESTION_MAX_LENGTH = 300
UP, DOWN = "up", "down"


def _audit(*, actor: Actor, survey: Survey, summary: str) -> None:
    record(
        actor=actor,
        action="feedback.survey_changed",
        summary=f"Feedback survey of '{survey.programme.title}': {summary}",
        subject=survey.programme,
        programme_id=survey.programme_id,
    )


def _clean_text(text: str, *, field: str = "text") -> str:
    text = " ".join((text or "").split())
    if not text:
        raise InvalidQuestion(_("Enter the question"), field=field)
    if len(text) > QUESTION_MAX_LENGTH:
        raise InvalidQuestion(
            _("The question must be %(max)s characters or fewer") % {"max": QUESTION_MAX_LENGTH}, field=field
        )
    return text


def reword(*, question: Question, text: str, actor: Actor) -> Question:
    """Change a question's wording; its answers stay with it."""
    text = _clean_text(text)
    if text != question.text:
        before, question.text = question.text, text
        question.save(update_fields=["text"])
        _audit(actor=actor, survey=question.survey, summary=f"reworded '{before}' as '{text}'")
    return question


def add_question(*, survey: Survey, kind: str, text: str, actor: Actor, scale: str = "") -> Question:
    """Add a question at the end of the survey."""
    text = _clean_text(text)
    if kind not in Kind.values:
        raise InvalidQuestion(_("Select the kind of answer"), field="kind")
    if kind == Kind.RATING and scale not in Scale.values:
        raise InvalidQuestion(_("Select the words for the five points of the rating"), field="scale")
    with transaction.atomic():
        last = survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
        question = Question.objects.create(
            survey=survey, position=last + 1, kind=kind, scale=scale if kind == Kind.RATING else "", text=text
        )
        _audit(actor=actor, survey=survey, summary=f"added '{text}'")
    return question


def _block_of(question: Question) -> list[Question]:
    """The question, or both of the confidence pair."""
    if not question.is_confidence_pair:
        return [question]
    return list(
        question.survey.questions.filter(role__in=[Role.CONFIDENCE_BEFORE, Role.CONFIDENCE_AFTER]).order_by("position")
    )


def remove_question(*, question: Question, actor: Actor) -> None:
    """Take a question (or the confidence pair) off the survey: deleted if nobody answered
    it, otherwise hidden with its answers kept."""
    if question.role == Role.SATISFACTION:
        raise InvalidQuestion(
            _("The satisfaction question cannot be removed: the results are built on it. You can reword it.")
        )
    now = timezone.now()
    with transaction.atomic():
        block = _block_of(question)
        for each in block:
            if each.answers.exists():
                each.removed_at = now
                each.save(update_fields=["removed_at"])
            else:
                each.delete()
        _audit(actor=actor, survey=question.survey, summary="removed " + " and ".join(f"'{q.text}'" for q in block))


def move_question(*, question: Question, direction: str, actor: Actor) -> None:
    """Move a question (the confidence pair as one) one place up or down the survey."""
    if direction not in (UP, DOWN):
        raise DomainError(_("Choose up or down."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.survey_id)
        questions = questions_of(survey)
        # The survey as blocks: each question alone, the confidence pair together.
        blocks: list[list[Question]] = []
        for each in questions:
            if each.is_confidence_pair and blocks and blocks[-1][0].is_confidence_pair:
                blocks[-1].append(each)
            else:
                blocks.append([each])
        index = next(i for i, block in enumerate(blocks) if any(q.pk == question.pk for q in block))
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(blocks):
            return
        blocks[index], blocks[other] = blocks[other], blocks[index]
        ordered = [q for block in blocks for q in block]
        for position, each in enumerate(ordered, start=1):
            each.position = position
        Question.objects.bulk_update(ordered, ["position"])
        _audit(actor=actor, survey=survey, summary=f"moved '{question.text}' {direction}")


def set_open_days(*, survey: Survey, open_days: int, actor: Actor) -> Survey:
    if not 1 <= open_days <= MAX_OPEN_DAYS:
        raise InvalidQuestion(
            _("Enter a number of days between 1 and %(max)s") % {"max": MAX_OPEN_DAYS}, field="open_days"
        )
    if open_days != survey.open_days:
        before, survey.open_days = survey.open_days, open_days
        survey.save(update_fields=["open_days"])
        _audit(actor=actor, survey=survey, summary=f"open for {open_days} days after the session (was {before})")
    return survey
