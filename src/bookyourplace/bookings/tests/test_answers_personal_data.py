"""Answers to the organiser's questions are personal data: listed for subject access,
anonymised with their booking when the retention period ends (what the person wrote goes,
the choices they picked stay for the counts), and removed when the person is erased."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.bookings import personal_data as held
from bookyourplace.bookings.models import Answer
from bookyourplace.bookings.services import book_place
from bookyourplace.bookings.testing import attendee_details, end_session
from bookyourplace.privacy.erasure import erase_person
from bookyourplace.privacy.services import Actor
from bookyourplace.privacy.subject_access import what_is_held
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import Question
from bookyourplace.programmes.testing import add_question

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=24 * 31 + 1)  # past the default 24 months
ADMIN = Actor(label="Dana (administrator)")
Kind = Question.Kind


@pytest.fixture
def alex(programme, session):
    def add(kind, label, **details):
        return add_question(programme, kind, label, **details)

    diet = add(Kind.SHORT_TEXT, "Your dietary requirements")
    area = add(Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South"))
    drives = add(Kind.YES_NO, "Do you need a parking space?")
    level3 = add(Kind.DATE, "Date you completed Level 3 training")
    return book_place(
        session_id=session.pk,
        attendee=attendee_details("alex.smith@coventry.gov.uk"),
        answers={diet.pk: "No nuts: Alex Smith's allergy", area.pk: "South", drives.pk: "Yes", level3.pk: "2025-03-27"},
    )


def values(booking) -> dict[str, str]:
    return dict(Answer.objects.filter(booking=booking).values_list("question_label", "value"))


def test_subject_access_lists_the_answers_with_the_questions_as_asked(alex):
    found = what_is_held("alex.smith@coventry.gov.uk", programme_ids=None, organiser_ids=None)

    kinds = {kind.name: kind for kind in found.kinds}
    (record,) = kinds["Answers to the organiser's questions"].records
    assert record.fields == {
        "Reference": alex.reference,
        "Your dietary requirements": "No nuts: Alex Smith's allergy",
        "Which area you work in": "South",
        "Do you need a parking space?": "Yes",
        "Date you completed Level 3 training": "27 March 2025",
    }


def test_retention_empties_what_the_person_wrote_and_keeps_the_choices_for_the_counts(session, alex):
    end_session(session, ago=LONG_AGO)

    held.anonymise_due(timezone.now())

    assert values(alex) == {
        "Your dietary requirements": "",
        "Which area you work in": "South",
        "Do you need a parking space?": "Yes",
        "Date you completed Level 3 training": "",
    }
    assert what_is_held("alex.smith@coventry.gov.uk", programme_ids=None, organiser_ids=None).count == 0


def test_retention_leaves_the_answers_of_a_programme_still_within_its_period(session, alex):
    end_session(session, ago=timedelta(days=30))

    held.anonymise_due(timezone.now())

    assert values(alex)["Your dietary requirements"] == "No nuts: Alex Smith's allergy"


def test_erasing_the_person_removes_every_answer(alex, session):
    asked = {q.label: q.pk for q in questions.questions_for(session)}
    sam = book_place(
        session_id=session.pk,
        attendee=attendee_details("sam@coventry.gov.uk"),
        answers={
            asked["Your dietary requirements"]: "Vegan",
            asked["Which area you work in"]: "North",
            asked["Do you need a parking space?"]: "No",
            asked["Date you completed Level 3 training"]: "2024-01-02",
        },
    )

    erase_person("alex.smith@coventry.gov.uk", reason="They asked us to.", actor=ADMIN)

    assert not Answer.objects.filter(booking=alex).exists()
    assert values(sam)["Your dietary requirements"] == "Vegan"
