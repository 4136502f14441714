"""The organiser's own booking questions in the back office: the editor of a programme's and
a session's list, the questions on "Add a booking", the answers on the booking's page and in
the downloads (formula-safe)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.bookings.services import book_place
from bookyourplace.bookings.testing import attendee_details
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import Question
from bookyourplace.programmes.questions import QuestionDetails
from bookyourplace.programmes.testing import add_question

pytestmark = pytest.mark.django_db

ORGANISER = Actor(label="Priya (organiser)")
Kind = Question.Kind
FORMULA = '=HYPERLINK("http://x","y")'


add = add_question


def summary_of(response) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', response.content.decode())


def labels(found) -> list[str]:
    return [question.label for question in found]


# --- The editor ----------------------------------------------------------------------------------


def test_the_programme_page_links_to_its_booking_questions(client, coordinator, programme):
    page = client.get(reverse("backoffice:programme", args=[programme.pk])).content.decode()

    assert reverse("backoffice:programme_questions", args=[programme.pk]) in page


def test_the_list_shows_each_question_in_order_with_its_type_whether_required_and_hint(client, coordinator, programme):
    add(programme, Kind.SHORT_TEXT, "Your dietary requirements", hint="For example, vegetarian", required=False)
    add(programme, Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South"))

    page = text_of(client.get(reverse("backoffice:programme_questions", args=[programme.pk])))

    assert (
        "1. Your dietary requirements Change question 1 Remove question 1 Type of answer Short answer "
        "Must people answer it? No, it is optional Hint For example, vegetarian Move down question 1"
    ) in page
    assert (
        "2. Which area you work in Change question 2 Remove question 2 Type of answer One choice from a list "
        "Must people answer it? Yes Choices North South Move up question 2"
    ) in page


def test_an_organiser_adds_a_question_at_the_end(client, coordinator, programme):
    add(programme, Kind.SHORT_TEXT, "Your dietary requirements")

    response = client.post(
        reverse("backoffice:programme_question_add", args=[programme.pk]),
        {
            "label": "Which area you work in",
            "hint": "",
            "kind": Kind.ONE_CHOICE,
            "choices": "North\r\n\r\nSouth\r\n",
            "required": "yes",
        },
        follow=True,
    )

    assert "Question added at the end of the booking form." in text_of(response)
    area = Question.objects.get(label="Which area you work in")
    assert (area.kind, area.choices, area.required) == (Kind.ONE_CHOICE, ["North", "South"], True)
    assert labels(questions.list_of(programme=programme)) == ["Your dietary requirements", "Which area you work in"]


def test_a_question_that_cannot_be_asked_gets_every_problem_and_keeps_what_was_typed(client, coordinator, programme):
    response = client.post(
        reverse("backoffice:programme_question_add", args=[programme.pk]),
        {
            "label": "Which area you work in",
            "hint": "Where your office is",
            "kind": Kind.ONE_CHOICE,
            "choices": "North",
        },
    )

    assert summary_of(response) == [
        ("id_choices", "Enter at least two choices, one on each line"),
        ("id_required_0", "Select yes if people must answer the question"),
    ]
    html = response.content.decode()
    assert 'value="Which area you work in"' in html and 'value="Where your office is"' in html
    assert not Question.objects.exists()


def test_the_rules_own_checks_show_on_the_form(client, coordinator, programme):
    response = client.post(
        reverse("backoffice:programme_question_add", args=[programme.pk]),
        {"label": "Which area you work in", "kind": Kind.SEVERAL_CHOICES, "choices": "North\nnorth", "required": "no"},
    )

    assert summary_of(response) == [("id_choices", "Each choice must be different: “north” is there twice")]
    assert "North\nnorth</textarea>" in response.content.decode()
    assert not Question.objects.exists()


def test_changing_a_question_keeps_the_answers_already_given(client, coordinator, programme, session):
    area = add(programme, Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South"))
    booking = book_place(session_id=session.pk, attendee=attendee_details(), answers={area.pk: "South"})

    form = client.get(reverse("backoffice:question_edit", args=[area.pk])).content.decode()
    assert "North\nSouth</textarea>" in form
    client.post(
        reverse("backoffice:question_edit", args=[area.pk]),
        {"label": "Your region", "kind": Kind.ONE_CHOICE, "choices": "East\nWest", "required": "yes"},
    )

    area.refresh_from_db()
    assert (area.label, area.choices) == ("Your region", ["East", "West"])
    detail = text_of(client.get(reverse("backoffice:booking", args=[booking.pk])))
    assert "Which area you work in South" in detail


def test_moving_a_question_down_and_up(client, coordinator, programme):
    first = add(programme, Kind.SHORT_TEXT, "First")
    add(programme, Kind.SHORT_TEXT, "Second")

    client.post(reverse("backoffice:question_move", args=[first.pk]), {"direction": "down"})
    assert labels(questions.list_of(programme=programme)) == ["Second", "First"]
    client.post(reverse("backoffice:question_move", args=[first.pk]), {"direction": "up"})
    assert labels(questions.list_of(programme=programme)) == ["First", "Second"]


def test_removing_asks_first_says_the_answers_are_kept_and_keeps_them(client, coordinator, programme, session):
    diet = add(programme, Kind.SHORT_TEXT, "Your dietary requirements")
    booking = book_place(session_id=session.pk, attendee=attendee_details(), answers={diet.pk: "Vegan"})

    confirm = text_of(client.get(reverse("backoffice:question_remove", args=[diet.pk])))
    assert "Remove ‘Your dietary requirements’?" in confirm
    assert "Answers people have already given are kept with their bookings" in confirm
    assert questions.list_of(programme=programme) == [diet]  # asking removed nothing

    response = client.post(reverse("backoffice:question_remove", args=[diet.pk]), follow=True)

    assert "Question removed. Answers already given are kept with the bookings." in text_of(response)
    assert questions.list_of(programme=programme) == []
    assert Answer.objects.get(booking=booking).value == "Vegan"
    # A removed question cannot be opened to change again
    assert client.get(reverse("backoffice:question_edit", args=[diet.pk])).status_code == 404


def test_a_session_can_ask_its_own_questions_and_go_back_to_the_programmes(client, coordinator, programme, session):
    add(programme, Kind.SHORT_TEXT, "Your dietary requirements")
    url = reverse("backoffice:session_questions", args=[session.pk])
    assert (
        reverse("backoffice:session_questions", args=[session.pk])
        in client.get(reverse("backoffice:session", args=[session.pk])).content.decode()
    )
    page = text_of(client.get(url))
    assert "The programme’s questions" in page and "Add a question" not in page

    client.post(url, {"asks": "own"})
    client.post(
        reverse("backoffice:session_question_add", args=[session.pk]),
        {"label": "Your school's name", "kind": Kind.SHORT_TEXT, "required": "yes"},
    )
    session.refresh_from_db()

    assert labels(questions.questions_for(session)) == ["Your dietary requirements", "Your school's name"]
    assert labels(questions.list_of(programme=programme)) == ["Your dietary requirements"]

    client.post(url, {"asks": "programme"})
    session.refresh_from_db()
    assert labels(questions.questions_for(session)) == ["Your dietary requirements"]


def test_a_session_choice_left_empty_is_explained(client, coordinator, session):
    response = client.post(reverse("backoffice:session_questions", args=[session.pk]), {})

    assert summary_of(response) == [("id_asks_0", "Select which questions this session asks")]


# --- Bookings: added for someone, read, downloaded -----------------------------------------------


def test_add_a_booking_asks_the_questions_with_the_same_rules(client, coordinator, programme, session):
    diet = add(programme, Kind.SHORT_TEXT, "Your dietary requirements")
    level3 = add(programme, Kind.DATE, "Date you completed Level 3 training")
    url = reverse("backoffice:session_booking_new", args=[session.pk])
    fixed = {
        "first_name": "Sam",
        "last_name": "Patel",
        "email": "sam.patel@nhs.net",
        "organisation": "University Hospitals Coventry",
        "sector": "health",
        "job_title": "Safeguarding nurse",
        "consent": "yes",
    }

    refused = client.post(url, fixed | {f"question_{level3.pk}_day": "31", f"question_{level3.pk}_month": "4"})
    assert summary_of(refused) == [
        (f"id_question_{diet.pk}", "Enter your dietary requirements"),
        (f"id_question_{level3.pk}", "Date you completed Level 3 training must include a year"),
    ]
    client.post(
        url,
        fixed
        | {
            f"question_{diet.pk}": "Halal",
            f"question_{level3.pk}_day": "1",
            f"question_{level3.pk}_month": "4",
            f"question_{level3.pk}_year": "2025",
        },
    )

    booking = Booking.objects.get()
    assert dict(booking.answers.values_list("question_label", "value")) == {
        "Your dietary requirements": "Halal",
        "Date you completed Level 3 training": "2025-04-01",
    }


def test_the_booking_page_shows_each_question_as_asked_and_its_answer(client, coordinator, programme, session):
    diet = add(programme, Kind.SHORT_TEXT, "Your dietary requirements", required=False)
    topics = add(programme, Kind.SEVERAL_CHOICES, "Topics to cover", choices=("Online harms", "Referrals"))
    booking = book_place(
        session_id=session.pk, attendee=attendee_details(), answers={topics.pk: "Online harms\nReferrals"}
    )
    questions.change_question(
        question=diet, details=QuestionDetails(kind=Kind.SHORT_TEXT, label="Food you cannot eat"), actor=ORGANISER
    )

    page = text_of(client.get(reverse("backoffice:booking", args=[booking.pk])))

    assert "Your dietary requirements Not answered" in page
    assert "Topics to cover Online harms Referrals" in page
    assert "Food you cannot eat" not in page


def test_downloads_have_a_column_per_question_with_the_answers_made_formula_safe(
    client, coordinator, programme, make_session
):
    own_session, plain_session = make_session(title="Own"), make_session(title="Plain")
    diet = add(programme, Kind.LONG_TEXT, "Your dietary requirements")
    level3 = add(programme, Kind.DATE, "Date you completed Level 3 training", required=False)
    topics = add(programme, Kind.SEVERAL_CHOICES, "Topics to cover", choices=("Online harms", "Referrals"))
    first = book_place(
        session_id=plain_session.pk,
        attendee=attendee_details("alex@coventry.gov.uk"),
        answers={diet.pk: FORMULA, level3.pk: "2025-03-27", topics.pk: "Online harms\nReferrals"},
    )
    questions.ask_own_questions(session=own_session, own=True, actor=ORGANISER)
    own_session.refresh_from_db()
    school = add(programme, Kind.SHORT_TEXT, "+Your school", session=own_session)
    own_answers = {q.pk: "" for q in questions.questions_for(own_session)}
    own_answers |= {q.pk: "Vegan" for q in questions.questions_for(own_session) if q.kind == Kind.LONG_TEXT}
    own_answers |= {q.pk: "Referrals" for q in questions.questions_for(own_session) if q.kind == Kind.SEVERAL_CHOICES}
    bea = book_place(
        session_id=own_session.pk,
        attendee=attendee_details("bea@coventry.gov.uk"),
        answers=own_answers | {school.pk: "-Whitley Academy"},
    )
    # A question removed after it was answered (from both lists) keeps its column in the download
    for question in Question.objects.filter(label="Date you completed Level 3 training"):
        questions.remove_question(question=question, actor=ORGANISER)

    csv_response = client.get(reverse("backoffice:programme_export_csv", args=[programme.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    assert header[12:] == [
        "Your dietary requirements",
        "Topics to cover",
        "'+Your school",
        "Date you completed Level 3 training",
    ]
    by_reference = {row[0]: row[12:] for row in rows[1:]}
    assert by_reference[first.reference] == ["'" + FORMULA, "Online harms; Referrals", "", "2025-03-27"]
    assert by_reference[bea.reference] == ["Vegan", "Referrals", "'-Whitley Academy", ""]

    xlsx_response = client.get(reverse("backoffice:session_export_xlsx", args=[plain_session.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content))).active
    xlsx = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert xlsx[0][12:] == ["Your dietary requirements", "Topics to cover", "Date you completed Level 3 training"]
    assert xlsx[1][12:] == ["'" + FORMULA, "Online harms; Referrals", dt.datetime(2025, 3, 27)]


def test_the_programme_report_counts_the_choices_and_downloads_them(client, coordinator, programme, session):
    area = add(programme, Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South"))
    for n in range(6):
        book_place(
            session_id=session.pk,
            attendee=attendee_details(f"person{n}@example.org"),
            answers={area.pk: "North" if n else "South"},
        )

    page = text_of(client.get(reverse("backoffice:programme_report", args=[programme.pk])))
    download = client.get(reverse("backoffice:report_table_csv", args=["question-1"]) + f"?programme={programme.pk}")

    assert "Booking questions" in page
    assert "Which area you work in Answer Confirmed bookings North 5 South 1 Asked the question 6" in page
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[1:3] == [["North", "5"], ["South", "fewer than 5"]]
