"""Helpers for every app's tests: a booking question of the organiser's own, added through
the one rule that adds them (programmes/questions.py)."""

from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import Programme, Question, Session
from bookyourplace.programmes.questions import QuestionDetails

ORGANISER = Actor(label="Priya (organiser)")


def add_question(programme: Programme, kind: str, label: str, *, session: Session | None = None, **details) -> Question:
    """A question at the end of the programme's list (or of ``session``'s own), as Priya adds it."""
    return questions.add_question(
        programme=programme,
        session=session,
        details=QuestionDetails(kind=kind, label=label, **details),
        actor=ORGANISER,
    )
