"""The answers to the organiser's own booking questions, counted: for each question with a
list of answers (one choice, several choices, yes or no), how many confirmed bookings gave
each answer. Free text and dates are never counted here: they are on the bookings, for those
who may see them.

Only for a report about one programme: its questions mean nothing beside another's. A
question is counted by its wording as it was asked (the answers keep it), so a session's own
copy of a programme question is counted with it, and a question reworded since is counted
under each wording. One query, grouped by question and answer, whatever the bookings.
"""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from bookyourplace.bookings.answers import COUNTED_KINDS, NO, YES
from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.programmes.models import Programme, Question
from bookyourplace.reports.filters import ReportFilter


@dataclass(frozen=True)
class AnswerCount:
    answer: str
    count: int


@dataclass(frozen=True)
class QuestionCounts:
    label: str
    kind: str
    answers: list[AnswerCount]
    # Confirmed bookings asked the question (whatever they answered).
    asked: int
    not_answered: int

    @property
    def several(self) -> bool:
        return self.kind == Question.Kind.SEVERAL_CHOICES


def question_counts(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> list[QuestionCounts]:
    if len(report_filter.programme_ids) != 1:
        return []
    rows = (
        Answer.objects.filter(
            report_filter.booking_q(allowed, prefix="booking__"),
            booking__status=Booking.Status.CONFIRMED,
            question_kind__in=COUNTED_KINDS,
        )
        .order_by()
        .values("question_label", "question_kind", "value")
        .annotate(n=Count("pk"))
        .values_list("question_label", "question_kind", "value", "n")
    )
    found: dict[tuple[str, str], dict[str, int]] = {}
    asked: dict[tuple[str, str], int] = {}
    for label, kind, value, n in rows:
        counts = found.setdefault((label, kind), {})
        asked[(label, kind)] = asked.get((label, kind), 0) + n
        # Several choices are kept one per line; none chosen is "" (not answered).
        for answer in (value.splitlines() or [""]) if kind == Question.Kind.SEVERAL_CHOICES else [value]:
            counts[answer] = counts.get(answer, 0) + n
    orders = _choice_orders(report_filter.programme_ids[0])
    labels_in_order = list(orders)
    result = []
    for (label, kind), counts in sorted(
        found.items(), key=lambda item: (_position(labels_in_order, item[0][0]), item[0])
    ):
        not_answered = counts.pop("", 0)
        order = [YES, NO] if kind == Question.Kind.YES_NO else orders.get(label, [])
        answers = [AnswerCount(choice, counts.pop(choice, 0)) for choice in order]
        # Answers to choices reworded or removed since, after the current ones.
        answers += [AnswerCount(answer, n) for answer, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        result.append(QuestionCounts(label, kind, answers, asked=asked[(label, kind)], not_answered=not_answered))
    return result


def _position(order: list[str], label: str) -> int:
    return order.index(label) if label in order else len(order)


def _choice_orders(programme_id: int) -> dict[str, list[str]]:
    """Each question's wording -> its choices in the organiser's order, the questions in the
    order the programme asks them (its own list first, then sessions' own)."""
    questions = (
        Question.objects.filter(programme_id=programme_id, kind__in=COUNTED_KINDS)
        .order_by(F("session_id").asc(nulls_first=True), "position", "pk")
        .values_list("label", "choices")
    )
    orders: dict[str, list[str]] = {}
    for label, choices in questions:
        orders.setdefault(label, list(choices))
    return orders
